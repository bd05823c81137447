import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PaymentProvider, WebhookEventStatus } from './enums';
import { PageInfo } from './order-connection.type';

@ObjectType({ description: 'A verified provider event in the inbox (admin only).' })
export class WebhookEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => PaymentProvider)
  provider!: PaymentProvider;

  @Field({ description: "The provider's event id (evt_…, WH-…): stored once per provider." })
  eventId!: string;

  @Field({ description: 'checkout.session.completed, PAYMENT.CAPTURE.COMPLETED, …' })
  type!: string;

  @Field(() => WebhookEventStatus)
  status!: WebhookEventStatus;

  @Field({ description: 'What applying it did (APPLIED, IGNORED: <why>) or the last failure.' })
  outcome!: string;

  @Field(() => Int, { description: 'How many times the worker (or a replay) tried to apply it.' })
  attempts!: number;

  @Field(() => String, { nullable: true })
  lastError?: string | null;

  @Field(() => Date, { nullable: true, description: 'When a FAILED event is tried again.' })
  nextAttemptAt?: Date | null;

  @Field()
  receivedAt!: Date;

  @Field(() => Date, { nullable: true })
  appliedAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'The order it was applied to, once known.' })
  orderId?: string | null;

  @Field(() => String, { nullable: true, description: 'The raw verified body; null once dropped after WEBHOOK_PAYLOAD_RETENTION_DAYS.' })
  payload?: string | null;
}

@ObjectType()
export class WebhookEventEdge {
  @Field()
  cursor!: string;

  @Field(() => WebhookEvent)
  node!: WebhookEvent;
}

@ObjectType({ description: 'Relay-style page of inbox events, newest first.' })
export class WebhookEventConnection {
  @Field(() => [WebhookEventEdge])
  edges!: WebhookEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
