import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125170234 } from './Migration20261125170234_initial';
import { Migration20261125175030_disputes } from './Migration20261125175030_disputes';
import { Migration20261129194800_webhook_inbox } from './Migration20261129194800_webhook_inbox';
import { Migration20261129194900_payment_claims } from './Migration20261129194900_payment_claims';
import { Migration20261129194911_idempotency_keys } from './Migration20261129194911_idempotency_keys';
import { Migration20261129210500_reconciliation } from './Migration20261129210500_reconciliation';
import { Migration20261129211500_authorized_status } from './Migration20261129211500_authorized_status';
import { Migration20261129222949_payment_capture_method } from './Migration20261129222949_payment_capture_method';
import { Migration20261129231200_outbox } from './Migration20261129231200_outbox';
import { Migration20261129231201_outbound_webhooks } from './Migration20261129231201_outbound_webhooks';
import { Migration20261130012500_authorization_captures } from './Migration20261130012500_authorization_captures';
import { Migration20261130080000_inbox_file } from './Migration20261130080000_inbox_file';

/** Committed migrations in order; registered explicitly so compiled and test runs see the same list. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261125170234_initial', class: Migration20261125170234 },
  { name: 'Migration20261125175030_disputes', class: Migration20261125175030_disputes },
  { name: 'Migration20261129194800_webhook_inbox', class: Migration20261129194800_webhook_inbox },
  { name: 'Migration20261129194900_payment_claims', class: Migration20261129194900_payment_claims },
  { name: 'Migration20261129194911_idempotency_keys', class: Migration20261129194911_idempotency_keys },
  { name: 'Migration20261129210500_reconciliation', class: Migration20261129210500_reconciliation },
  { name: 'Migration20261129211500_authorized_status', class: Migration20261129211500_authorized_status },
  { name: 'Migration20261129222949_payment_capture_method', class: Migration20261129222949_payment_capture_method },
  { name: 'Migration20261129231200_outbox', class: Migration20261129231200_outbox },
  { name: 'Migration20261129231201_outbound_webhooks', class: Migration20261129231201_outbound_webhooks },
  { name: 'Migration20261130012500_authorization_captures', class: Migration20261130012500_authorization_captures },
  { name: 'Migration20261130080000_inbox_file', class: Migration20261130080000_inbox_file },
];
