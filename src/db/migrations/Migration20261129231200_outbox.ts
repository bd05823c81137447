import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox (src/outbox): one row per order event that must be published, keyed by
 * the event's sequence and written in the same transaction as the event; deleted once it was
 * published and its outbound deliveries were queued, so the table holds only what is still to go.
 */
export class Migration20261129231200_outbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`outbox_messages\` (\`event_sequence\` integer not null, \`order_id\` text not null, \`created_at\` datetime not null, \`claimed_by\` text null, \`claimed_until\` datetime null, constraint \`outbox_messages_event_sequence_foreign\` foreign key(\`event_sequence\`) references \`order_events\`(\`sequence\`) on delete cascade on update cascade, primary key (\`event_sequence\`));`);
    this.addSql(`create index \`outbox_messages_order_id_index\` on \`outbox_messages\` (\`order_id\`);`);
  }

}
