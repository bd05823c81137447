import { registerEnumType } from 'type-graphql';
import { DisputeStatus } from '../../model/dispute-status';
import { OrderStatus } from '../../model/order-status';
import { CaptureMethod, PaymentMethod, PaymentProvider, PaymentStatus, RefundStatus } from '../../model/payment-types';
import { WebhookEventStatus } from '../../model/webhook-event-status';

registerEnumType(OrderStatus, { name: 'OrderStatus', description: 'Where an order is in its lifecycle: CREATED, then PENDING or REQUIRES_ACTION while a payment is under way, then PAID, FAILED (payable again), EXPIRED (payable again) or CANCELED; a paid order may become PARTIALLY_REFUNDED, REFUNDED or DISPUTED.' });
registerEnumType(PaymentProvider, { name: 'PaymentProvider' });
registerEnumType(PaymentMethod, { name: 'PaymentMethod', description: 'How a payment attempt was made.' });
registerEnumType(PaymentStatus, { name: 'PaymentStatus', description: 'The state of one payment attempt.' });
registerEnumType(DisputeStatus, { name: 'DisputeStatus', description: 'OPEN until the provider decides; WON keeps the money, LOST returned it to the buyer.' });
registerEnumType(RefundStatus, { name: 'RefundStatus', description: 'PENDING reserves the amount until the provider confirms.' });
registerEnumType(CaptureMethod, { name: 'CaptureMethod', description: 'AUTOMATIC charges at once; MANUAL only authorizes (order AUTHORIZED) until capturePayment or voidPayment.' });
registerEnumType(WebhookEventStatus, {
  name: 'WebhookEventStatus',
  description: 'Where a stored provider event is in the inbox: RECEIVED and FAILED are still in line; DEAD waits for an operator.',
});

export { CaptureMethod, DisputeStatus, OrderStatus, PaymentMethod, PaymentProvider, PaymentStatus, RefundStatus, WebhookEventStatus };
