import { Migration } from '@mikro-orm/migrations';

/** Idempotency keys of our own API: one row per (principal, key), the primary key deciding who runs first. */
export class Migration20261129194911_idempotency_keys extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`idempotency_keys\` (\`key_hash\` text not null, \`request_fingerprint\` text not null, \`status\` text check (\`status\` in ('IN_PROGRESS', 'COMPLETED')) not null default 'IN_PROGRESS', \`claim_id\` text not null, \`locked_until\` datetime not null, \`response\` text null, \`created_at\` datetime not null, \`expires_at\` datetime not null, primary key (\`key_hash\`));`);
    this.addSql(`create index \`idempotency_keys_expires_at_index\` on \`idempotency_keys\` (\`expires_at\`);`);
  }

}
