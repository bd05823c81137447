import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { toDbDate, type DbDialect } from '../../db/db-dates';
import { OrderEntity } from '../../db/entities';
import type { OrderReader } from '../../db/order-reader';
import type { WriteTransactions } from '../../db/write-transactions';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { canTransition } from '../order-state-machine';
import { priceOrderLines, type OrderItemInput } from '../order-lines';
import type { OrderRecord } from '../../model/order-record';
import { OrderStatus } from '../../model/order-status';
import { generateAccessToken, hashSecret } from './access-token';
import { supersedeAttemptsClosedInOurRecords } from './attempt-supersede';
import type { PaymentAttempts } from './payment-attempts';
import type { AccessTokenCache } from './access-token-cache';
import { inOrderTransaction } from './order-transaction';
import { assertNoOtherMover, assertNothingUnclosable } from './payment-claim';
import { decodeCursor, encodeCursor, pageSize, type Page } from './pagination';
import type { StatusChangeSink } from '../../model/status-change';

/** Relations read with every order entity (payment services), loaded in a fixed number of queries (no N+1). */
export const ORDER_RELATIONS = ['items', 'payments', 'refunds', 'events'] as const;

/** Largest amount the API can express (GraphQL `Int` is 32-bit). */
const MAX_ORDER_AMOUNT = 2_147_483_647;
/** local@domain.tld; no address has spaces or control characters. */
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export interface CreateOrderCommand {
  items: OrderItemInput[];
  customerEmail?: string | null;
}

/** The plain-SQL side of order storage: reads without the ORM, writes grouped per commit. */
export interface OrderStore {
  reader: OrderReader;
  writes: WriteTransactions;
  dialect: DbDialect;
  tokens: AccessTokenCache;
}

/** Order use-cases that involve no provider: create, read, list, cancel. */
export class OrderService {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly store: OrderStore,
    /** Closes the order's open attempts at the providers that need a call (Stripe: expire sessions, cancel PaymentIntents). */
    private readonly attempts: PaymentAttempts,
  ) {}

  /**
   * Prices the items from the catalog (one read), then stores the order, its lines and its first
   * event in one transaction of three inserts, grouped with concurrent orders; answers
   * from what it wrote, without reading it back. The access token is returned once, after the commit.
   */
  async createOrder(command: CreateOrderCommand): Promise<{ order: OrderRecord; accessToken: string }> {
    const email = normaliseEmail(command.customerEmail);
    const priced = await this.price(command.items);
    const accessToken = generateAccessToken();
    const tokenHash = hashSecret(accessToken);
    const now = new Date();
    const at = toDbDate(now, this.store.dialect);
    const id = randomUUID();
    const event = { type: 'ORDER_CREATED', fromStatus: null, toStatus: OrderStatus.CREATED, source: 'mutation:createOrder', message: null, at: now };
    const [, , [inserted]] = await this.store.writes.insert([
      {
        table: 'orders',
        rows: [{
          id, status: OrderStatus.CREATED, currency: priced.currency, amount: priced.amount, amount_refunded: 0,
          customer_email: email, access_token_hash: tokenHash, version: 1, created_at: at, updated_at: at,
        }],
      },
      {
        table: 'order_items',
        rows: priced.lines.map((line, position) => ({
          order_id: id, position, sku: line.sku, name: line.name, unit_amount: line.unitAmount, quantity: line.quantity, line_amount: line.lineAmount,
        })),
      },
      {
        table: 'order_events',
        rows: [{ order_id: id, type: event.type, from_status: null, to_status: event.toStatus, source: event.source, message: null, at }],
        returning: { key: 'order_id', columns: ['sequence'] },
      },
    ]);
    this.store.tokens.remember(tokenHash, id);
    return {
      order: {
        id, status: OrderStatus.CREATED, currency: priced.currency, amount: priced.amount, amountRefunded: 0, amountCaptured: 0, customerEmail: email,
        createdAt: now, updatedAt: now, items: priced.lines.map((l) => ({ ...l })), payments: [], refunds: [],
        events: [{ sequence: Number(inserted.sequence), ...event }],
      },
      accessToken,
    };
  }

  /** Prices the lines from the catalog as it is now; every input problem is BAD_USER_INPUT before anything is written. */
  private async price(items: OrderItemInput[]) {
    const skus = [...new Set(items.map((i) => i.sku))];
    const products = new Map((await this.store.reader.products(skus)).map((p) => [p.sku, p]));
    const priced = priceOrderLines(items, (sku) => products.get(sku));
    if (priced.amount > MAX_ORDER_AMOUNT) {
      throw new BadUserInputError(`The order total ${priced.amount} exceeds the largest payable amount ${MAX_ORDER_AMOUNT}`, 'input.items');
    }
    return priced;
  }

  /** The order with items, payments, refunds and events as plain data (one statement), or null. */
  async readOrder(id: string): Promise<OrderRecord | null> {
    return (await this.store.reader.load([id]))[0];
  }

  /** The order as plain data (one statement, on a read connection), or NOT_FOUND: what a mutation answers with after its commit. */
  async getOrderOrFail(id: string): Promise<OrderRecord> {
    const order = await this.readOrder(id);
    if (!order) throw new NotFoundError('Order', id);
    return order;
  }

  /** Newest first, cursor-paginated, optionally filtered by status: six queries whatever the page size. */
  async listOrders(args: { first?: number | null; after?: string | null; status?: OrderStatus | null }): Promise<Page<OrderRecord>> {
    const first = pageSize(args.first);
    const after = args.after ? decodeCursor(args.after, 'after') : undefined;
    const { nodes: rows, totalCount } = await this.store.reader.page({ status: args.status, after, limit: first + 1 });
    const nodes = rows.slice(0, first);
    return {
      nodes,
      cursors: nodes.map((o) => encodeCursor(o.createdAt, o.id)),
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(args.after),
      totalCount,
    };
  }

  /**
   * Cancels an order that has not been paid. Every open attempt is closed first (payment-claim.ts):
   * at Stripe (session expired, PaymentIntent canceled) before the cancellation commits, a PayPal
   * attempt in the same transaction (we will never capture it). An attempt that already moved
   * money, or may be doing so now, makes it CONFLICT saying which.
   */
  async cancelOrder(id: string, source: string): Promise<OrderRecord> {
    const current = await this.em.fork().findOne(OrderEntity, { id }, { populate: ['payments'] });
    if (!current) throw new NotFoundError('Order', id);
    if (current.status === OrderStatus.AUTHORIZED) {
      throw new ConflictError(`Order ${id} is AUTHORIZED: its funds are held at the provider; an admin releases them with voidPayment, which cancels the order`, { status: current.status });
    }
    if (!canTransition(current.status, OrderStatus.CANCELED)) {
      throw new ConflictError(`Order ${id} is ${current.status} and can no longer be canceled${current.status === OrderStatus.CANCELED ? '' : '; refund it instead'}`, { status: current.status });
    }
    assertNothingUnclosable(current, 'cancelOrder');
    await this.attempts.closeOpenAttempts(id, source);
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await uow.em.findOne(OrderEntity, { id }, { populate: ['payments'] });
      if (!order) throw new NotFoundError('Order', id);
      supersedeAttemptsClosedInOurRecords(uow, order, source, 'the cancellation of the order');
      assertNoOtherMover(order, undefined, 'cancelOrder');
      uow.transition(order, OrderStatus.CANCELED, source);
    });
    const order = await this.readOrder(id);
    if (!order) throw new NotFoundError('Order', id);
    return order;
  }
}

function normaliseEmail(email: string | null | undefined): string | null {
  if (email === undefined || email === null || email.trim() === '') return null;
  const trimmed = email.trim();
  if (trimmed.length > 320 || !EMAIL.test(trimmed)) {
    throw new BadUserInputError(`customerEmail '${trimmed.slice(0, 50)}' is not an email address`, 'input.customerEmail');
  }
  return trimmed;
}
