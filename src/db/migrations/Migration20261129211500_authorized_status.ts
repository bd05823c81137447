import { Migration } from '@mikro-orm/migrations';

const OLD = `'EXPIRED', 'DISPUTED')`;
const NEW = `'EXPIRED', 'DISPUTED', 'AUTHORIZED')`;

/**
 * Manual capture: the AUTHORIZED order status and the amount a capture took. SQLite cannot alter a
 * CHECK constraint, and rebuilding `orders` would cascade-delete its children inside the migration's
 * transaction (foreign_keys cannot be switched off there), so the constraints are widened in place,
 * the procedure SQLite documents for constraint changes that leave the stored rows valid
 * (https://www.sqlite.org/lang_altertable.html#otheralter): only a value is added to the list.
 */
export class Migration20261129211500_authorized_status extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`orders\` add column \`amount_captured\` integer not null default 0;`);
    const [{ schema_version: version }] = await this.execute('pragma schema_version') as Array<{ schema_version: number }>;
    this.addSql('pragma writable_schema = on;');
    this.addSql(`update sqlite_master set sql = replace(sql, '${OLD.replace(/'/g, "''")}', '${NEW.replace(/'/g, "''")}') where type = 'table' and name in ('orders', 'order_events');`);
    this.addSql(`pragma schema_version = ${Number(version) + 1};`);
    this.addSql('pragma writable_schema = off;');
  }

}
