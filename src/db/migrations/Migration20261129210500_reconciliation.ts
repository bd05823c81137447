import { Migration } from '@mikro-orm/migrations';

/**
 * The provider status sync: when each attempt and refund was last asked about (so a round takes
 * the longest-unchecked first and a still-open one does not starve the rest), and the lease row
 * that lets one instance at a time run a round.
 */
export class Migration20261129210500_reconciliation extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`payments\` add column \`reconciled_at\` datetime null;`);
    this.addSql(`alter table \`refunds\` add column \`reconciled_at\` datetime null;`);
    this.addSql(`create table \`reconcile_leases\` (\`name\` text not null, \`holder\` text null, \`expires_at\` integer not null default 0, primary key (\`name\`));`);
    this.addSql(`insert into \`reconcile_leases\` (\`name\`, \`holder\`, \`expires_at\`) values ('sync', null, 0);`);
  }

}
