import { Migration } from '@mikro-orm/migrations';

/**
 * Outbound webhooks (src/outbound-webhooks): merchant endpoints with their signing secret, one
 * delivery per message and endpoint with its retry state and claim, and every attempt made.
 */
export class Migration20261129231201_outbound_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`webhook_endpoints\` (\`id\` text not null, \`url\` text not null, \`events\` text not null, \`secret\` text not null, \`created_at\` datetime not null, \`failing_since\` datetime null, \`disabled_at\` datetime null, \`disabled_reason\` text null, primary key (\`id\`));`);
    this.addSql(`create table \`webhook_deliveries\` (\`id\` text not null, \`endpoint_id\` text not null, \`message_id\` text not null, \`event_type\` text not null, \`order_id\` text not null, \`event_sequence\` integer not null, \`payload\` text not null, \`status\` text not null, \`attempts\` integer not null default 0, \`next_attempt_at\` datetime null, \`last_status_code\` integer null, \`last_error\` text null, \`created_at\` datetime not null, \`delivered_at\` datetime null, \`claimed_by\` text null, \`claimed_until\` datetime null, constraint \`webhook_deliveries_endpoint_id_foreign\` foreign key(\`endpoint_id\`) references \`webhook_endpoints\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`webhook_deliveries_endpoint_id_index\` on \`webhook_deliveries\` (\`endpoint_id\`);`);
    this.addSql(`create index \`webhook_deliveries_endpoint_id_created_at_index\` on \`webhook_deliveries\` (\`endpoint_id\`, \`created_at\`);`);
    this.addSql(`create index \`webhook_deliveries_status_next_attempt_at_index\` on \`webhook_deliveries\` (\`status\`, \`next_attempt_at\`);`);
    this.addSql(`create table \`webhook_delivery_attempts\` (\`id\` text not null, \`delivery_id\` text not null, \`attempted_at\` datetime not null, \`status_code\` integer null, \`duration_ms\` integer not null, \`error\` text null, \`response_body\` text null, constraint \`webhook_delivery_attempts_delivery_id_foreign\` foreign key(\`delivery_id\`) references \`webhook_deliveries\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`webhook_delivery_attempts_delivery_id_index\` on \`webhook_delivery_attempts\` (\`delivery_id\`);`);
  }

}
