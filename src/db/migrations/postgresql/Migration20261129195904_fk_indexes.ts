import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes on the foreign keys every order read and cascade goes through (PostgreSQL does not index
 * a foreign key by itself; SQLite's initial migration already has these same indexes).
 */
export class Migration20261129195904_fk_indexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "order_events_order_id_index" on "order_events" ("order_id");`);

    this.addSql(`create index "order_items_order_id_index" on "order_items" ("order_id");`);

    this.addSql(`create index "payments_order_id_index" on "payments" ("order_id");`);

    this.addSql(`create index "disputes_order_id_index" on "disputes" ("order_id");`);
    this.addSql(`create index "disputes_payment_id_index" on "disputes" ("payment_id");`);

    this.addSql(`create index "refunds_order_id_index" on "refunds" ("order_id");`);
    this.addSql(`create index "refunds_payment_id_index" on "refunds" ("payment_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "disputes_order_id_index";`);
    this.addSql(`drop index "disputes_payment_id_index";`);

    this.addSql(`drop index "order_events_order_id_index";`);

    this.addSql(`drop index "order_items_order_id_index";`);

    this.addSql(`drop index "payments_order_id_index";`);

    this.addSql(`drop index "refunds_order_id_index";`);
    this.addSql(`drop index "refunds_payment_id_index";`);
  }

}
