import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL twin of the SQLite migration of the same name. */
export class Migration20261129194900_payment_claims extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "payments" add column "capture_request_id" varchar(255) null, add column "auto_refund_reason" text null;`);
    this.addSql(`alter table "refunds" add column "outcome_unknown_since" timestamptz null;`);
  }

}
