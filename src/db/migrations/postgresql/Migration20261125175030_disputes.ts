import { Migration } from '@mikro-orm/migrations';

/** Provider disputes as forward-only facts (open → won | lost); the PostgreSQL twin of the SQLite migration of the same name. */
export class Migration20261125175030_disputes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "disputes" ("id" varchar(36) not null, "order_id" varchar(36) not null, "payment_id" varchar(36) not null, "provider" text check ("provider" in ('STRIPE', 'PAYPAL')) not null, "provider_dispute_id" varchar(255) not null, "status" text check ("status" in ('OPEN', 'WON', 'LOST')) not null default 'OPEN', "reason" varchar(255) null, "amount" int null, "currency" varchar(3) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "disputes_pkey" primary key ("id"));`);
    this.addSql(`create index "disputes_status_index" on "disputes" ("status");`);
    this.addSql(`alter table "disputes" add constraint "disputes_provider_provider_dispute_id_unique" unique ("provider", "provider_dispute_id");`);
    this.addSql(`alter table "disputes" add constraint "disputes_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "disputes" add constraint "disputes_payment_id_foreign" foreign key ("payment_id") references "payments" ("id") on update cascade;`);
  }

}
