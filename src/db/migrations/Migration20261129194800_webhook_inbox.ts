import { Migration } from '@mikro-orm/migrations';

/**
 * The webhook inbox: events are stored before they are applied, so the table gains a receipt
 * order, a status with retry bookkeeping and a claim; the payload may be dropped after retention.
 * SQLite cannot relax NOT NULL in place, so the table is rebuilt; every stored event was applied
 * in the old design, so it keeps APPLIED (or IGNORED when its outcome said so).
 */
export class Migration20261129194800_webhook_inbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`webhook_events_new\` (\`id\` text not null, \`seq\` integer not null, \`provider\` text not null, \`event_id\` text not null, \`type\` text not null, \`payload\` text null, \`status\` text check (\`status\` in ('RECEIVED', 'APPLIED', 'IGNORED', 'FAILED', 'DEAD')) not null default 'RECEIVED', \`outcome\` text not null, \`attempts\` integer not null default 0, \`last_error\` text null, \`next_attempt_at\` datetime null, \`order_id\` text null, \`received_at\` datetime not null, \`applied_at\` datetime null, \`claimed_by\` text null, \`claimed_until\` datetime null, primary key (\`id\`));`);
    this.addSql(`insert into \`webhook_events_new\` (\`id\`, \`seq\`, \`provider\`, \`event_id\`, \`type\`, \`payload\`, \`status\`, \`outcome\`, \`attempts\`, \`order_id\`, \`received_at\`, \`applied_at\`) select \`id\`, \`rowid\`, \`provider\`, \`event_id\`, \`type\`, \`payload\`, case when \`outcome\` like 'IGNORED%' then 'IGNORED' else 'APPLIED' end, \`outcome\`, 1, \`order_id\`, \`received_at\`, \`received_at\` from \`webhook_events\`;`);
    this.addSql(`drop table \`webhook_events\`;`);
    this.addSql(`alter table \`webhook_events_new\` rename to \`webhook_events\`;`);
    this.addSql(`create unique index \`webhook_events_provider_event_id_unique\` on \`webhook_events\` (\`provider\`, \`event_id\`);`);
    this.addSql(`create unique index \`webhook_events_seq_unique\` on \`webhook_events\` (\`seq\`);`);
    this.addSql(`create index \`webhook_events_status_next_attempt_at_seq_index\` on \`webhook_events\` (\`status\`, \`next_attempt_at\`, \`seq\`);`);
    this.addSql(`create index \`webhook_events_order_id_index\` on \`webhook_events\` (\`order_id\`);`);
  }

}
