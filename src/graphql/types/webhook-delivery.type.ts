import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DeliveryStatus } from '../../outbound-webhooks/delivery-types';
import { PageInfo } from './order-connection.type';

registerEnumType(DeliveryStatus, { name: 'WebhookDeliveryStatus', description: 'PENDING (queued or retrying), DELIVERED (a 2xx answer), FAILED (retry window over, or endpoint disabled).' });

@ObjectType({ description: 'One HTTP attempt of a delivery.' })
export class WebhookDeliveryAttempt {
  @Field()
  attemptedAt!: Date;

  @Field(() => Int, { nullable: true, description: 'The HTTP status, null when no answer came (timeout, refused address, connection error).' })
  statusCode?: number | null;

  @Field(() => Int)
  durationMs!: number;

  @Field(() => String, { nullable: true })
  error?: string | null;

  @Field(() => String, { nullable: true, description: 'The first 1 KiB of the answer.' })
  responseBody?: string | null;
}

@ObjectType({ description: 'One message for one endpoint, with every attempt made.' })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  endpointId!: string;

  @Field({ description: 'The `webhook-id` header: the same on every retry and redelivery.' })
  messageId!: string;

  @Field()
  eventType!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => Int, { description: "The order event's sequence." })
  sequence!: number;

  @Field(() => DeliveryStatus)
  status!: DeliveryStatus;

  @Field(() => Int)
  attemptCount!: number;

  @Field(() => Date, { nullable: true })
  nextAttemptAt?: Date | null;

  @Field(() => Int, { nullable: true })
  lastStatusCode?: number | null;

  @Field(() => String, { nullable: true })
  lastError?: string | null;

  @Field({ description: 'The JSON body sent.' })
  payload!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  deliveredAt?: Date | null;

  @Field(() => [WebhookDeliveryAttempt])
  attempts!: WebhookDeliveryAttempt[];
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field()
  cursor!: string;

  @Field(() => WebhookDelivery)
  node!: WebhookDelivery;
}

@ObjectType({ description: 'Relay-style page of outbound deliveries, newest first.' })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge])
  edges!: WebhookDeliveryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
