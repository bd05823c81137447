import { Migration } from '@mikro-orm/migrations';

const OLD = `'EXPIRED', 'DISPUTED')`;
const NEW = `'EXPIRED', 'DISPUTED', 'AUTHORIZED')`;
const OLD_PAYMENT = `'CANCELED', 'EXPIRED')) not null default 'OPEN'`;
const NEW_PAYMENT = `'CANCELED', 'EXPIRED', 'AUTHORIZED')) not null default 'OPEN'`;
const quoted = (sql: string) => sql.replace(/'/g, "''");

/**
 * Manual capture: the AUTHORIZED order and payment statuses and the amounts a capture took. SQLite cannot alter a
 * CHECK constraint, and rebuilding `orders` would cascade-delete its children inside the migration's
 * transaction (foreign_keys cannot be switched off there), so the constraints are widened in place,
 * the procedure SQLite documents for constraint changes that leave the stored rows valid
 * (https://www.sqlite.org/lang_altertable.html#otheralter): only a value is added to the list.
 */
export class Migration20261129211500_authorized_status extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`orders\` add column \`amount_captured\` integer not null default 0;`);
    this.addSql(`alter table \`payments\` add column \`captured_amount\` integer null;`);
    // Orders paid before this migration: what their succeeded payments captured.
    this.addSql(`update \`orders\` set \`amount_captured\` = (select coalesce(sum(\`amount\`), 0) from \`payments\` where \`payments\`.\`order_id\` = \`orders\`.\`id\` and \`status\` = 'SUCCEEDED' and \`auto_refund_reason\` is null);`);
    const [{ schema_version: version }] = await this.execute('pragma schema_version') as Array<{ schema_version: number }>;
    this.addSql('pragma writable_schema = on;');
    this.addSql(`update sqlite_master set sql = replace(sql, '${quoted(OLD)}', '${quoted(NEW)}') where type = 'table' and name in ('orders', 'order_events');`);
    this.addSql(`update sqlite_master set sql = replace(sql, '${quoted(OLD_PAYMENT)}', '${quoted(NEW_PAYMENT)}') where type = 'table' and name = 'payments';`);
    this.addSql(`pragma schema_version = ${Number(version) + 1};`);
    this.addSql('pragma writable_schema = off;');
  }

}
