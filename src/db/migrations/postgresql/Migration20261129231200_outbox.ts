import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL twin of the SQLite migration of the same name (the transactional outbox). */
export class Migration20261129231200_outbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "outbox_messages" ("event_sequence" int not null, "order_id" varchar(36) not null, "created_at" timestamptz not null, "claimed_by" varchar(64) null, "claimed_until" timestamptz null, constraint "outbox_messages_pkey" primary key ("event_sequence"));`);
    this.addSql(`create index "outbox_messages_order_id_index" on "outbox_messages" ("order_id");`);
    this.addSql(`alter table "outbox_messages" add constraint "outbox_messages_event_sequence_foreign" foreign key ("event_sequence") references "order_events" ("sequence") on update cascade on delete cascade;`);
  }

}
