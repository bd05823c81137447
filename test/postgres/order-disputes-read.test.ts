import { orderDisputesReadCases } from '../helpers/order-disputes-read.kit';
import { startPostgresService } from './postgres.helpers';

describe('order(id) reads the disputes it shows with the order (PostgreSQL)', () => {
  orderDisputesReadCases(() => startPostgresService('disputes-read', { SANDBOX: 'off' }));
});
