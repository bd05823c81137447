import { Migration } from '@mikro-orm/migrations';

/**
 * SQLite: the webhook inbox moves to its own file, attached as schema `inbox` (src/db/inbox-file.ts),
 * so ingest's commits take that file's write lock and never wait for the payments file's. The
 * payments file gains `webhook_applications`: the event ids whose effects it committed, written in
 * the same transaction as the effects (the two files do not commit atomically together).
 * A transaction over two WAL files is atomic per file: should this one stop half-way, running it
 * again creates nothing twice and copies every row once.
 */
export class Migration20261130080000_inbox_file extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists \`inbox\`.\`webhook_events\` (\`id\` text not null, \`seq\` integer not null, \`provider\` text not null, \`event_id\` text not null, \`type\` text not null, \`payload\` text null, \`status\` text check (\`status\` in ('RECEIVED', 'APPLIED', 'IGNORED', 'FAILED', 'DEAD')) not null default 'RECEIVED', \`outcome\` text not null, \`attempts\` integer not null default 0, \`last_error\` text null, \`next_attempt_at\` datetime null, \`order_id\` text null, \`received_at\` datetime not null, \`applied_at\` datetime null, \`claimed_by\` text null, \`claimed_until\` datetime null, primary key (\`id\`));`);
    this.addSql(`insert or ignore into \`inbox\`.\`webhook_events\` select \`id\`, \`seq\`, \`provider\`, \`event_id\`, \`type\`, \`payload\`, \`status\`, \`outcome\`, \`attempts\`, \`last_error\`, \`next_attempt_at\`, \`order_id\`, \`received_at\`, \`applied_at\`, \`claimed_by\`, \`claimed_until\` from \`main\`.\`webhook_events\`;`);
    this.addSql(`drop table \`main\`.\`webhook_events\`;`);
    this.addSql(`create unique index if not exists \`inbox\`.\`webhook_events_provider_event_id_unique\` on \`webhook_events\` (\`provider\`, \`event_id\`);`);
    this.addSql(`create unique index if not exists \`inbox\`.\`webhook_events_seq_unique\` on \`webhook_events\` (\`seq\`);`);
    this.addSql(`create index if not exists \`inbox\`.\`webhook_events_status_next_attempt_at_seq_index\` on \`webhook_events\` (\`status\`, \`next_attempt_at\`, \`seq\`);`);
    this.addSql(`create index if not exists \`inbox\`.\`webhook_events_order_id_index\` on \`webhook_events\` (\`order_id\`);`);
    this.addSql(`create table \`webhook_applications\` (\`id\` text not null, \`status\` text not null, \`outcome\` text not null, \`order_id\` text null, \`attempts\` integer not null, \`applied_at\` datetime not null, primary key (\`id\`));`);
  }

}
