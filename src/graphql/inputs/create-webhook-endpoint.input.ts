import { Field, InputType } from 'type-graphql';

@InputType()
export class CreateWebhookEndpointInput {
  @Field({ description: 'Where deliveries are POSTed: https:// (plain http:// and local addresses only outside production).' })
  url!: string;

  @Field(() => [String], { description: 'Event types to receive (README "Outbound webhooks"), or ["*"] for all.' })
  events!: string[];
}
