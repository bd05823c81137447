import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A merchant endpoint that receives signed outbound webhooks (Standard Webhooks).' })
export class WebhookEndpoint {
  @Field(() => ID)
  id!: string;

  @Field()
  url!: string;

  @Field(() => [String], { description: 'Subscribed event types; "*" means all.' })
  events!: string[];

  @Field({ description: 'False once disabled after failing for OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS.' })
  enabled!: boolean;

  @Field(() => Date, { nullable: true, description: 'Since when every attempt has failed; null while it answers.' })
  failingSince?: Date | null;

  @Field(() => Date, { nullable: true })
  disabledAt?: Date | null;

  @Field(() => String, { nullable: true })
  disabledReason?: string | null;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field({ description: 'The signing secret (whsec_…), shown this once: verify deliveries with any Standard Webhooks library.' })
  secret!: string;
}
