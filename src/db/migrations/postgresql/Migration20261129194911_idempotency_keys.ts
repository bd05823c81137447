import { Migration } from '@mikro-orm/migrations';

/** Idempotency keys of our own API; the PostgreSQL twin of the SQLite migration of the same name. */
export class Migration20261129194911_idempotency_keys extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_keys" ("key_hash" varchar(64) not null, "request_fingerprint" text not null, "status" text check ("status" in ('IN_PROGRESS', 'COMPLETED')) not null default 'IN_PROGRESS', "claim_id" varchar(36) not null, "locked_until" timestamptz not null, "response" text null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "idempotency_keys_pkey" primary key ("key_hash"));`);
    this.addSql(`create index "idempotency_keys_expires_at_index" on "idempotency_keys" ("expires_at");`);
  }

}
