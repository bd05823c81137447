import { Migration } from '@mikro-orm/migrations';

const STATUSES = `'CREATED', 'PENDING', 'REQUIRES_ACTION', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED', 'CANCELED', 'EXPIRED', 'DISPUTED', 'AUTHORIZED'`;

/** Manual capture: the AUTHORIZED order and payment statuses and the amounts a capture took. */
export class Migration20261129211500_authorized_status extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "orders" add column "amount_captured" int not null default 0;`);
    this.addSql(`alter table "payments" add column "captured_amount" int null;`);
    // Orders paid before this migration: what their succeeded payments captured.
    this.addSql(`update "orders" set "amount_captured" = (select coalesce(sum("amount"), 0) from "payments" where "payments"."order_id" = "orders"."id" and "status" = 'SUCCEEDED' and "auto_refund_reason" is null);`);
    this.addSql(`alter table "payments" drop constraint if exists "payments_status_check";`);
    this.addSql(`alter table "payments" add constraint "payments_status_check" check ("status" in ('OPEN', 'REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'EXPIRED', 'AUTHORIZED'));`);
    this.addSql(`alter table "orders" drop constraint if exists "orders_status_check";`);
    this.addSql(`alter table "orders" add constraint "orders_status_check" check ("status" in (${STATUSES}));`);
    this.addSql(`alter table "order_events" drop constraint if exists "order_events_from_status_check";`);
    this.addSql(`alter table "order_events" add constraint "order_events_from_status_check" check ("from_status" in (${STATUSES}));`);
    this.addSql(`alter table "order_events" drop constraint if exists "order_events_to_status_check";`);
    this.addSql(`alter table "order_events" add constraint "order_events_to_status_check" check ("to_status" in (${STATUSES}));`);
  }

}
