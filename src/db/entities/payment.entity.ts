import { randomUUID } from 'node:crypto';
import { DateTimeType, OptionalProps, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { CaptureMethod, PaymentMethod, PaymentProvider, PaymentStatus, type AuthorizationCapture, type AuthorizationCaptureClaim } from '../../model/payment-types';
import { OrderEntity } from './order.entity';

/** One payment attempt at a provider, with the provider's reference ids. */
@Entity({ tableName: 'payments' })
export class PaymentEntity {
  [OptionalProps]?: 'id' | 'status' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => OrderEntity, { deleteRule: 'cascade' })
  order!: OrderEntity;

  @Enum({ items: () => PaymentProvider, type: 'string' })
  provider!: PaymentProvider;

  @Enum({ items: () => PaymentMethod, type: 'string' })
  method!: PaymentMethod;

  @Enum({ items: () => PaymentStatus, type: 'string' })
  status: PaymentStatus = PaymentStatus.OPEN;

  @Property({ type: 'integer' })
  amount!: number;

  /**
   * Manual capture: how much of the authorization an admin asked to capture, stored (the claim)
   * before the provider is called; null until then. A partial capture releases the rest.
   */
  @Property({ type: 'integer', nullable: true })
  capturedAmount?: number | null;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /**
   * MANUAL for a PayPal attempt created to authorize only (intent AUTHORIZE): its completion is
   * PayPal's authorize, not a capture. Null means AUTOMATIC (Stripe keeps this on its PaymentIntent).
   */
  @Property({ type: 'string', length: 16, nullable: true })
  captureMethod?: CaptureMethod | null;

  /** Stripe Checkout Session id (`cs_…`). */
  @Property({ type: 'string', length: 255, nullable: true })
  @Index()
  providerSessionId?: string | null;

  /** Stripe PaymentIntent id (`pi_…`) or PayPal order id. */
  @Property({ type: 'string', length: 255, nullable: true })
  @Index()
  providerPaymentId?: string | null;

  /** Stripe charge id (`ch_…`) or PayPal capture id: what refunds are made against. */
  @Property({ type: 'string', length: 255, nullable: true })
  @Index()
  providerChargeId?: string | null;

  /**
   * PayPal-Request-Id of the capture claimed for this attempt. Kept while the outcome is unknown
   * (timeout, 5xx) so a retry reuses it; cleared after a definite refusal so the next capture uses
   * a new one (PayPal replays the stored refusal for a reused id).
   */
  @Property({ type: 'string', length: 255, nullable: true })
  captureRequestId?: string | null;

  /**
   * PayPal manual capture: the capture of the authorization claimed and not yet answered (its
   * amount, whether it is the final one, its PayPal-Request-Id), stored before PayPal is called so
   * a concurrent request joins it and a retry reuses its id; cleared by its answer or its refusal.
   */
  @Property({ type: 'json', nullable: true })
  captureClaim?: AuthorizationCaptureClaim | null;

  /** PayPal manual capture: every capture of the authorization PayPal confirmed (refunds go per capture). */
  @Property({ type: 'json', nullable: true })
  captures?: AuthorizationCapture[] | null;

  /** PayPal manual capture: the rest of a partly captured authorization was voided or lapsed (no further capture). */
  @Property({ type: 'boolean', nullable: true })
  authorizationReleased?: boolean | null;

  /** Set when this payment arrived on an order that could no longer take it and was refunded automatically: why. */
  @Property({ type: 'text', nullable: true })
  autoRefundReason?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  failureCode?: string | null;

  @Property({ type: 'text', nullable: true })
  failureMessage?: string | null;

  /** When the provider status sync last asked the provider about this one (written by the sync only). */
  @Property({ type: DateTimeType, nullable: true })
  reconciledAt?: Date | null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
