import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL twin of the SQLite migration of the same name (outbound webhooks). */
export class Migration20261129231201_outbound_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook_endpoints" ("id" varchar(36) not null, "url" varchar(2048) not null, "events" text not null, "secret" varchar(100) not null, "created_at" timestamptz not null, "failing_since" timestamptz null, "disabled_at" timestamptz null, "disabled_reason" varchar(255) null, constraint "webhook_endpoints_pkey" primary key ("id"));`);

    this.addSql(`create table "webhook_deliveries" ("id" varchar(36) not null, "endpoint_id" varchar(36) not null, "message_id" varchar(100) not null, "event_type" varchar(100) not null, "order_id" varchar(36) not null, "event_sequence" int not null, "payload" text not null, "status" varchar(20) not null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_status_code" int null, "last_error" text null, "created_at" timestamptz not null, "delivered_at" timestamptz null, "claimed_by" varchar(64) null, "claimed_until" timestamptz null, constraint "webhook_deliveries_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_deliveries_endpoint_id_created_at_index" on "webhook_deliveries" ("endpoint_id", "created_at");`);
    this.addSql(`create index "webhook_deliveries_status_next_attempt_at_index" on "webhook_deliveries" ("status", "next_attempt_at");`);

    this.addSql(`create table "webhook_delivery_attempts" ("id" varchar(36) not null, "delivery_id" varchar(36) not null, "attempted_at" timestamptz not null, "status_code" int null, "duration_ms" int not null, "error" text null, "response_body" text null, constraint "webhook_delivery_attempts_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_attempts_delivery_id_index" on "webhook_delivery_attempts" ("delivery_id");`);

    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_delivery_attempts" add constraint "webhook_delivery_attempts_delivery_id_foreign" foreign key ("delivery_id") references "webhook_deliveries" ("id") on update cascade on delete cascade;`);
  }

}
