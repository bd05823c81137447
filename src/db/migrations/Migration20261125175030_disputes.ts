import { Migration } from '@mikro-orm/migrations';

/** Provider disputes as forward-only facts (open → won | lost), one row per provider dispute id. */
export class Migration20261125175030_disputes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`disputes\` (\`id\` text not null, \`order_id\` text not null, \`payment_id\` text not null, \`provider\` text check (\`provider\` in ('STRIPE', 'PAYPAL')) not null, \`provider_dispute_id\` text not null, \`status\` text check (\`status\` in ('OPEN', 'WON', 'LOST')) not null default 'OPEN', \`reason\` text null, \`amount\` integer null, \`currency\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`disputes_order_id_foreign\` foreign key(\`order_id\`) references \`orders\`(\`id\`) on delete cascade on update cascade, constraint \`disputes_payment_id_foreign\` foreign key(\`payment_id\`) references \`payments\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`disputes_order_id_index\` on \`disputes\` (\`order_id\`);`);
    this.addSql(`create index \`disputes_payment_id_index\` on \`disputes\` (\`payment_id\`);`);
    this.addSql(`create index \`disputes_status_index\` on \`disputes\` (\`status\`);`);
    this.addSql(`create unique index \`disputes_provider_provider_dispute_id_unique\` on \`disputes\` (\`provider\`, \`provider_dispute_id\`);`);
  }

}
