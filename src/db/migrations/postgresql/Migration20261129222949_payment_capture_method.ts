import { Migration } from '@mikro-orm/migrations';

/** PayPal manual capture: which attempts were created to authorize only (intent AUTHORIZE); null = AUTOMATIC. */
export class Migration20261129222949_payment_capture_method extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "payments" add column "capture_method" varchar(16) null;`);
  }

}
