import { Migration } from '@mikro-orm/migrations';

/**
 * The webhook inbox (PostgreSQL twin of the SQLite migration of the same name): a receipt order
 * from a sequence, a status with retry bookkeeping, a claim lease for several instances, and a
 * payload that may be dropped after retention. Existing events were applied in the old design.
 */
export class Migration20261129194800_webhook_inbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_events" add column "seq" serial not null, add column "status" text check ("status" in ('RECEIVED', 'APPLIED', 'IGNORED', 'FAILED', 'DEAD')) not null default 'RECEIVED', add column "attempts" int not null default 0, add column "last_error" text null, add column "next_attempt_at" timestamptz null, add column "applied_at" timestamptz null, add column "claimed_by" varchar(64) null, add column "claimed_until" timestamptz null;`);
    this.addSql(`alter table "webhook_events" alter column "payload" drop not null;`);
    this.addSql(`update "webhook_events" set "status" = case when "outcome" like 'IGNORED%' then 'IGNORED' else 'APPLIED' end, "attempts" = 1, "applied_at" = "received_at";`);
    this.addSql(`alter table "webhook_events" add constraint "webhook_events_seq_unique" unique ("seq");`);
    this.addSql(`create index "webhook_events_status_next_attempt_at_seq_index" on "webhook_events" ("status", "next_attempt_at", "seq");`);
    this.addSql(`create index "webhook_events_order_id_index" on "webhook_events" ("order_id");`);
  }

}
