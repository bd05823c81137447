import { Migration } from '@mikro-orm/migrations';

export class Migration20261125174959_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "orders" ("id" varchar(36) not null, "status" text check ("status" in ('CREATED', 'PENDING', 'REQUIRES_ACTION', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED', 'CANCELED', 'EXPIRED', 'DISPUTED')) not null default 'CREATED', "currency" varchar(3) not null, "amount" int not null, "amount_refunded" int not null default 0, "customer_email" varchar(320) null, "access_token_hash" varchar(64) not null, "version" int not null default 1, "created_at" timestamptz(3) not null, "updated_at" timestamptz not null, constraint "orders_pkey" primary key ("id"));`);
    this.addSql(`create index "orders_status_index" on "orders" ("status");`);
    this.addSql(`alter table "orders" add constraint "orders_access_token_hash_unique" unique ("access_token_hash");`);
    this.addSql(`create index "orders_created_at_id_index" on "orders" ("created_at", "id");`);

    this.addSql(`create table "order_events" ("sequence" serial primary key, "order_id" varchar(36) not null, "type" varchar(50) not null, "from_status" text check ("from_status" in ('CREATED', 'PENDING', 'REQUIRES_ACTION', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED', 'CANCELED', 'EXPIRED', 'DISPUTED')) null, "to_status" text check ("to_status" in ('CREATED', 'PENDING', 'REQUIRES_ACTION', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED', 'CANCELED', 'EXPIRED', 'DISPUTED')) null, "source" varchar(255) not null, "message" text null, "at" timestamptz not null);`);

    this.addSql(`create table "order_items" ("id" serial primary key, "order_id" varchar(36) not null, "position" int not null, "sku" varchar(64) not null, "name" varchar(200) not null, "unit_amount" int not null, "quantity" int not null, "line_amount" int not null);`);

    this.addSql(`create table "payments" ("id" varchar(36) not null, "order_id" varchar(36) not null, "provider" text check ("provider" in ('STRIPE', 'PAYPAL')) not null, "method" text check ("method" in ('STRIPE_CHECKOUT', 'STRIPE_CARD', 'PAYPAL')) not null, "status" text check ("status" in ('OPEN', 'REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'EXPIRED')) not null default 'OPEN', "amount" int not null, "currency" varchar(3) not null, "provider_session_id" varchar(255) null, "provider_payment_id" varchar(255) null, "provider_charge_id" varchar(255) null, "failure_code" varchar(100) null, "failure_message" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "payments_pkey" primary key ("id"));`);
    this.addSql(`create index "payments_provider_session_id_index" on "payments" ("provider_session_id");`);
    this.addSql(`create index "payments_provider_payment_id_index" on "payments" ("provider_payment_id");`);
    this.addSql(`create index "payments_provider_charge_id_index" on "payments" ("provider_charge_id");`);

    this.addSql(`create table "products" ("sku" varchar(64) not null, "name" varchar(200) not null, "description" text null, "unit_amount" int not null, "currency" varchar(3) not null, "active" boolean not null default true, constraint "products_pkey" primary key ("sku"));`);

    this.addSql(`create table "refunds" ("id" varchar(36) not null, "order_id" varchar(36) not null, "payment_id" varchar(36) not null, "amount" int not null, "currency" varchar(3) not null, "status" text check ("status" in ('PENDING', 'SUCCEEDED', 'FAILED', 'CANCELED')) not null default 'PENDING', "provider_refund_id" varchar(255) null, "reason" varchar(500) null, "failure_message" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "refunds_pkey" primary key ("id"));`);
    this.addSql(`create index "refunds_provider_refund_id_index" on "refunds" ("provider_refund_id");`);

    this.addSql(`create table "webhook_events" ("id" varchar(36) not null, "provider" varchar(20) not null, "event_id" varchar(255) not null, "type" varchar(100) not null, "payload" text not null, "outcome" varchar(255) not null, "order_id" varchar(36) null, "received_at" timestamptz not null, constraint "webhook_events_pkey" primary key ("id"));`);
    this.addSql(`alter table "webhook_events" add constraint "webhook_events_provider_event_id_unique" unique ("provider", "event_id");`);

    this.addSql(`alter table "order_events" add constraint "order_events_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_items" add constraint "order_items_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "payments" add constraint "payments_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "refunds" add constraint "refunds_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "refunds" add constraint "refunds_payment_id_foreign" foreign key ("payment_id") references "payments" ("id") on update cascade;`);
  }

}
