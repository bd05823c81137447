import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL twin of the SQLite migration of the same name. */
export class Migration20261129210500_reconciliation extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "payments" add column "reconciled_at" timestamptz null;`);
    this.addSql(`alter table "refunds" add column "reconciled_at" timestamptz null;`);
    this.addSql(`create table "reconcile_leases" ("name" varchar(50) not null, "holder" varchar(255) null, "expires_at" bigint not null default 0, constraint "reconcile_leases_pkey" primary key ("name"));`);
    this.addSql(`insert into "reconcile_leases" ("name", "holder", "expires_at") values ('sync', null, 0);`);
  }

}
