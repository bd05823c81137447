import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { OrderEntity, OrderItemEntity, ProductEntity } from '../../db/entities';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { canTransition } from '../order-state-machine';
import { priceOrderLines, type OrderItemInput } from '../order-lines';
import { OrderStatus } from '../order-status';
import { generateAccessToken, hashSecret } from './access-token';
import { supersedeOpenPayPalAttempts } from './attempt-supersede';
import { inOrderTransaction } from './order-transaction';
import { assertNoOtherMover, assertNothingUnclosable } from './payment-claim';
import { decodeCursor, encodeCursor, type Page } from './pagination';
import type { StatusChangeSink } from './status-change';

/** Relations read with every order, loaded in a fixed number of queries (no N+1). */
export const ORDER_RELATIONS = ['items', 'payments', 'refunds', 'events'] as const;

/** Largest amount the API can express (GraphQL `Int` is 32-bit). */
const MAX_ORDER_AMOUNT = 2_147_483_647;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface CreateOrderCommand {
  items: OrderItemInput[];
  customerEmail?: string | null;
}

/** Order use-cases that involve no provider: create, read, list, cancel. */
export class OrderService {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    /** Closes the order's open attempts at the providers that need a call (Stripe: expire sessions, cancel PaymentIntents). */
    private readonly closeProviderAttempts: (orderId: string, source: string) => Promise<void> = async () => undefined,
  ) {}

  /** Prices the items from the catalog and stores the order in one transaction; returns the token once. */
  async createOrder(command: CreateOrderCommand): Promise<{ order: OrderEntity; accessToken: string }> {
    const email = normaliseEmail(command.customerEmail);
    const accessToken = generateAccessToken();
    const orderId = await inOrderTransaction(this.em, this.sink, async (uow) => {
      const { em } = uow;
      const skus = [...new Set(command.items.map((i) => i.sku))];
      const products = new Map((await em.find(ProductEntity, { sku: { $in: skus } })).map((p) => [p.sku, p]));
      const priced = priceOrderLines(command.items, (sku) => products.get(sku));
      if (priced.amount > MAX_ORDER_AMOUNT) {
        throw new BadUserInputError(`The order total ${priced.amount} exceeds the largest payable amount ${MAX_ORDER_AMOUNT}`, 'input.items');
      }
      const order = em.create(OrderEntity, {
        currency: priced.currency,
        amount: priced.amount,
        customerEmail: email,
        accessTokenHash: hashSecret(accessToken),
      });
      priced.lines.forEach((line, position) => em.persist(em.create(OrderItemEntity, { ...line, position, order })));
      em.persist(order);
      uow.record(order, 'ORDER_CREATED', 'mutation:createOrder', undefined, undefined, OrderStatus.CREATED);
      return order.id;
    });
    return { order: await this.getOrderOrFail(orderId), accessToken };
  }

  /** The order with items, payments, refunds and events, or null. */
  async getOrder(id: string): Promise<OrderEntity | null> {
    return this.em.fork().findOne(OrderEntity, { id }, { populate: ORDER_RELATIONS });
  }

  async getOrderOrFail(id: string): Promise<OrderEntity> {
    const order = await this.getOrder(id);
    if (!order) throw new NotFoundError('Order', id);
    return order;
  }

  /** Newest first, cursor-paginated, optionally filtered by status. */
  async listOrders(args: { first?: number | null; after?: string | null; status?: OrderStatus | null }): Promise<Page<OrderEntity>> {
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > 100) {
      throw new BadUserInputError('first must be a whole number from 1 to 100', 'first');
    }
    const where: FilterQuery<OrderEntity> = args.status ? { status: args.status } : {};
    const em = this.em.fork();
    const totalCount = await em.count(OrderEntity, where);
    const conditions: FilterQuery<OrderEntity>[] = [where];
    if (args.after) {
      const c = decodeCursor(args.after, 'after');
      conditions.push({ $or: [{ createdAt: { $lt: c.createdAt } }, { createdAt: c.createdAt, id: { $lt: c.id } }] });
    }
    const rows = await em.find(OrderEntity, { $and: conditions }, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: first + 1,
      populate: ORDER_RELATIONS,
    });
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
  async cancelOrder(id: string, source: string): Promise<OrderEntity> {
    const current = await this.em.fork().findOne(OrderEntity, { id }, { populate: ['payments'] });
    if (!current) throw new NotFoundError('Order', id);
    if (current.status === OrderStatus.AUTHORIZED) {
      throw new ConflictError(`Order ${id} is AUTHORIZED: its funds are held at the provider; an admin releases them with voidPayment, which cancels the order`, { status: current.status });
    }
    if (!canTransition(current.status, OrderStatus.CANCELED)) {
      throw new ConflictError(`Order ${id} is ${current.status} and can no longer be canceled${current.status === OrderStatus.CANCELED ? '' : '; refund it instead'}`, { status: current.status });
    }
    assertNothingUnclosable(current, 'cancelOrder');
    await this.closeProviderAttempts(id, source);
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await uow.em.findOne(OrderEntity, { id }, { populate: ['payments'] });
      if (!order) throw new NotFoundError('Order', id);
      supersedeOpenPayPalAttempts(uow, order, source, 'the cancellation of the order');
      assertNoOtherMover(order, undefined, 'cancelOrder');
      uow.transition(order, OrderStatus.CANCELED, source);
    });
    return this.getOrderOrFail(id);
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
