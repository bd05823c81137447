import { Migration } from '@mikro-orm/migrations';

/**
 * The PayPal-Request-Id of a capture whose outcome is still unknown (reused only then), and why a
 * payment that arrived on an order that could no longer take it was refunded automatically.
 */
export class Migration20261129194900_payment_claims extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`payments\` add column \`capture_request_id\` text null;`);
    this.addSql(`alter table \`payments\` add column \`auto_refund_reason\` text null;`);
    this.addSql(`alter table \`refunds\` add column \`outcome_unknown_since\` datetime null;`);
  }

}
