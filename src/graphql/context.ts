import type { Principal } from '../domain/services/principal';
import type { AppServices } from '../app/services';

/** Per-request (or per-subscription) context; the principal is resolved lazily, once. */
export interface GraphQLContext {
  services: AppServices;
  principal(): Promise<Principal>;
  requestHeaders: Record<string, string | undefined>;
  /** Who the caller is for rate limits (its address); set by the transport. */
  clientKey?: string;
}

/** Builds a context from an `Authorization` value (HTTP header or graphql-ws connection param). */
export function createContext(
  services: AppServices,
  authorization: unknown,
  requestHeaders: Record<string, string | undefined> = {},
  clientKey?: string,
): GraphQLContext {
  let principal: Promise<Principal> | undefined;
  return {
    services,
    requestHeaders,
    clientKey,
    principal: () => (principal ??= services.authz.principalFrom(authorization)),
  };
}
