import { registerEnumType } from 'type-graphql';
import { OrderStatus } from '../../domain/order-status';
import { PaymentMethod, PaymentProvider, PaymentStatus, RefundStatus } from '../../domain/payment-types';

registerEnumType(OrderStatus, { name: 'OrderStatus', description: 'Where an order is in its lifecycle (CONTRACT §1).' });
registerEnumType(PaymentProvider, { name: 'PaymentProvider' });
registerEnumType(PaymentMethod, { name: 'PaymentMethod', description: 'How a payment attempt was made.' });
registerEnumType(PaymentStatus, { name: 'PaymentStatus', description: 'The state of one payment attempt.' });
registerEnumType(RefundStatus, { name: 'RefundStatus', description: 'PENDING reserves the amount until the provider confirms.' });

export { OrderStatus, PaymentMethod, PaymentProvider, PaymentStatus, RefundStatus };
