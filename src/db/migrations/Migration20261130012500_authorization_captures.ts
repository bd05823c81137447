import { Migration } from '@mikro-orm/migrations';

/** PayPal authorizations captured in parts: the claimed capture, the confirmed captures, a released rest; refunds per capture. */
export class Migration20261130012500_authorization_captures extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`payments\` add column \`capture_claim\` json null;`);
    this.addSql(`alter table \`payments\` add column \`captures\` json null;`);
    this.addSql(`alter table \`payments\` add column \`authorization_released\` integer null;`);
    this.addSql(`alter table \`refunds\` add column \`provider_charge_id\` text null;`);
  }

}
