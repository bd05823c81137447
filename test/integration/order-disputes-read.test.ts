import { orderDisputesReadCases } from '../helpers/order-disputes-read.kit';
import { startTestService } from '../helpers/service.helpers';

describe('order(id) reads the disputes it shows with the order (SQLite)', () => {
  orderDisputesReadCases(() => startTestService({ SANDBOX: 'off' }));
});
