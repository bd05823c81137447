import { Migration } from '@mikro-orm/migrations';

export class Migration20261125170234 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`orders\` (\`id\` text not null, \`status\` text check (\`status\` in ('CREATED', 'PENDING', 'REQUIRES_ACTION', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED', 'CANCELED', 'EXPIRED', 'DISPUTED')) not null default 'CREATED', \`currency\` text not null, \`amount\` integer not null, \`amount_refunded\` integer not null default 0, \`customer_email\` text null, \`access_token_hash\` text not null, \`version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`orders_status_index\` on \`orders\` (\`status\`);`);
    this.addSql(`create unique index \`orders_access_token_hash_unique\` on \`orders\` (\`access_token_hash\`);`);
    this.addSql(`create index \`orders_created_at_id_index\` on \`orders\` (\`created_at\`, \`id\`);`);

    this.addSql(`create table \`order_events\` (\`sequence\` integer not null primary key autoincrement, \`order_id\` text not null, \`type\` text not null, \`from_status\` text check (\`from_status\` in ('CREATED', 'PENDING', 'REQUIRES_ACTION', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED', 'CANCELED', 'EXPIRED', 'DISPUTED')) null, \`to_status\` text check (\`to_status\` in ('CREATED', 'PENDING', 'REQUIRES_ACTION', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED', 'CANCELED', 'EXPIRED', 'DISPUTED')) null, \`source\` text not null, \`message\` text null, \`at\` datetime not null, constraint \`order_events_order_id_foreign\` foreign key(\`order_id\`) references \`orders\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`order_events_order_id_index\` on \`order_events\` (\`order_id\`);`);

    this.addSql(`create table \`order_items\` (\`id\` integer not null primary key autoincrement, \`order_id\` text not null, \`position\` integer not null, \`sku\` text not null, \`name\` text not null, \`unit_amount\` integer not null, \`quantity\` integer not null, \`line_amount\` integer not null, constraint \`order_items_order_id_foreign\` foreign key(\`order_id\`) references \`orders\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`order_items_order_id_index\` on \`order_items\` (\`order_id\`);`);

    this.addSql(`create table \`payments\` (\`id\` text not null, \`order_id\` text not null, \`provider\` text check (\`provider\` in ('STRIPE', 'PAYPAL')) not null, \`method\` text check (\`method\` in ('STRIPE_CHECKOUT', 'STRIPE_CARD', 'PAYPAL')) not null, \`status\` text check (\`status\` in ('OPEN', 'REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'EXPIRED')) not null default 'OPEN', \`amount\` integer not null, \`currency\` text not null, \`provider_session_id\` text null, \`provider_payment_id\` text null, \`provider_charge_id\` text null, \`failure_code\` text null, \`failure_message\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`payments_order_id_foreign\` foreign key(\`order_id\`) references \`orders\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`payments_order_id_index\` on \`payments\` (\`order_id\`);`);
    this.addSql(`create index \`payments_provider_session_id_index\` on \`payments\` (\`provider_session_id\`);`);
    this.addSql(`create index \`payments_provider_payment_id_index\` on \`payments\` (\`provider_payment_id\`);`);
    this.addSql(`create index \`payments_provider_charge_id_index\` on \`payments\` (\`provider_charge_id\`);`);

    this.addSql(`create table \`products\` (\`sku\` text not null, \`name\` text not null, \`description\` text null, \`unit_amount\` integer not null, \`currency\` text not null, \`active\` integer not null default true, primary key (\`sku\`));`);

    this.addSql(`create table \`refunds\` (\`id\` text not null, \`order_id\` text not null, \`payment_id\` text not null, \`amount\` integer not null, \`currency\` text not null, \`status\` text check (\`status\` in ('PENDING', 'SUCCEEDED', 'FAILED', 'CANCELED')) not null default 'PENDING', \`provider_refund_id\` text null, \`reason\` text null, \`failure_message\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`refunds_order_id_foreign\` foreign key(\`order_id\`) references \`orders\`(\`id\`) on delete cascade on update cascade, constraint \`refunds_payment_id_foreign\` foreign key(\`payment_id\`) references \`payments\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`refunds_order_id_index\` on \`refunds\` (\`order_id\`);`);
    this.addSql(`create index \`refunds_payment_id_index\` on \`refunds\` (\`payment_id\`);`);
    this.addSql(`create index \`refunds_provider_refund_id_index\` on \`refunds\` (\`provider_refund_id\`);`);

    this.addSql(`create table \`webhook_events\` (\`id\` text not null, \`provider\` text not null, \`event_id\` text not null, \`type\` text not null, \`payload\` text not null, \`outcome\` text not null, \`order_id\` text null, \`received_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`webhook_events_provider_event_id_unique\` on \`webhook_events\` (\`provider\`, \`event_id\`);`);
  }

}
