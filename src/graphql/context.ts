import DataLoader from 'dataloader';
import type { DisputeRecord, OrderRecord, OrderWithDisputes } from '../model/order-record';
import type { Principal } from '../domain/services/principal';
import type { AppServices } from './app-services';

/** Per-request (or per-subscription) context; the principal is resolved lazily, once. */
export interface GraphQLContext {
  services: AppServices;
  principal(): Promise<Principal>;
  requestHeaders: Record<string, string | undefined>;
  /** Who the caller is for rate limits (its address); set by the transport. */
  clientKey?: string;
  /** Orders read in this request, batched: every order a request asks for is read by one statement together. */
  orders: DataLoader<string, OrderRecord | null>;
  /** The same with their disputes in the same statement, for queries that show them. */
  ordersWithDisputes: DataLoader<string, OrderWithDisputes | null>;
  /** Disputes of orders read in this request, one query for all of them, only when selected. */
  disputes: DataLoader<string, DisputeRecord[]>;
}

/** Builds a context from an `Authorization` value (HTTP header or graphql-ws connection param). */
export function createContext(
  services: AppServices,
  authorization: unknown,
  requestHeaders: Record<string, string | undefined> = {},
  clientKey?: string,
): GraphQLContext {
  let principal: Promise<Principal> | undefined;
  const { reader } = services.orderStore;
  return {
    services,
    requestHeaders,
    clientKey,
    principal: () => (principal ??= services.authz.principalFrom(authorization)),
    // Request-scoped and uncached: a mutation that reads its order after writing it sees the write.
    orders: new DataLoader((ids) => reader.load(ids), { cache: false }),
    ordersWithDisputes: new DataLoader((ids) => reader.loadWithDisputes(ids), { cache: false }),
    disputes: new DataLoader((ids) => reader.disputesOf(ids), { cache: false }),
  };
}
