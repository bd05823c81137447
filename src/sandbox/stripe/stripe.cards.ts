/** A card refusal as Stripe reports it (`card_error` code, decline code, customer-facing message). */
export interface Decline {
  code: string;
  declineCode: string;
  message: string;
  /** Radar blocks are not sent to the network; everything else is an issuer decline. */
  blocked?: boolean;
}

/** What happens when a test card is charged (README test-card table). */
export type CardBehaviour =
  | { kind: 'succeed' }
  | { kind: 'decline'; decline: Decline }
  | { kind: 'authenticate'; after?: Decline }
  | { kind: 'refund_fail' }
  | { kind: 'dispute'; reason: 'fraudulent' | 'product_not_received' | 'general'; inquiry: boolean };

/** A test card: its public details and the behaviour the sandbox plays. */
export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard' | 'amex';
  funding: 'credit' | 'debit';
  behaviour: CardBehaviour;
  paymentMethods: string[];
  tokens: string[];
}

const d = (code: string, declineCode: string, message: string, blocked = false): Decline => ({ code, declineCode, message, ...(blocked ? { blocked } : {}) });
/** Stripe's customer-facing decline messages. */
export const DECLINES = {
  generic: d('card_declined', 'generic_decline', 'Your card was declined.'),
  insufficientFunds: d('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
  lost: d('card_declined', 'lost_card', 'Your card was declined.'),
  stolen: d('card_declined', 'stolen_card', 'Your card was declined.'),
  expired: d('expired_card', 'expired_card', 'Your card has expired.'),
  incorrectCvc: d('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."),
  processing: d('processing_error', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.'),
  velocity: d('card_declined', 'card_velocity_exceeded', 'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.'),
  fraudulent: d('card_declined', 'fraudulent', 'Your card was declined.', true),
  authenticationRequired: d('card_declined', 'authentication_required', 'Your card was declined. This transaction requires authentication.'),
  liveCard: d('card_declined', 'test_mode_live_card', 'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.'),
};

const ok: CardBehaviour = { kind: 'succeed' };
const decline = (x: Decline): CardBehaviour => ({ kind: 'decline', decline: x });
const auth = (after?: Decline): CardBehaviour => ({ kind: 'authenticate', ...(after ? { after } : {}) });
const card = (number: string, behaviour: CardBehaviour, paymentMethods: string[], tokens: string[] = [], funding: 'credit' | 'debit' = 'credit'): TestCard => ({
  number,
  brand: number.startsWith('4') ? 'visa' : number.startsWith('3') ? 'amex' : 'mastercard',
  funding,
  behaviour,
  paymentMethods,
  tokens,
});

/** Stripe's documented test cards with their `pm_card_*` and `tok_*` aliases. */
export const TEST_CARDS: TestCard[] = [
  card('4242424242424242', ok, ['pm_card_visa'], ['tok_visa']),
  card('4000056655665556', ok, ['pm_card_visa_debit'], ['tok_visa_debit'], 'debit'),
  card('5555555555554444', ok, ['pm_card_mastercard'], ['tok_mastercard']),
  card('4000000000000077', ok, ['pm_card_bypassPending'], ['tok_bypassPending']),
  card('4000000000003055', ok, ['pm_card_threeDSecureOptional']),
  card('378282246310005', ok, ['pm_card_amex_threeDSecureNotSupported', 'pm_card_amex'], ['tok_amex']),
  card('4000000000000002', decline(DECLINES.generic), ['pm_card_visa_chargeDeclined'], ['tok_visa_chargeDeclined', 'tok_chargeDeclined']),
  card('4000000000009995', decline(DECLINES.insufficientFunds), ['pm_card_visa_chargeDeclinedInsufficientFunds'], ['tok_visa_chargeDeclinedInsufficientFunds', 'tok_chargeDeclinedInsufficientFunds']),
  card('4000000000009987', decline(DECLINES.lost), ['pm_card_visa_chargeDeclinedLostCard'], ['tok_visa_chargeDeclinedLostCard']),
  card('4000000000009979', decline(DECLINES.stolen), ['pm_card_visa_chargeDeclinedStolenCard'], ['tok_visa_chargeDeclinedStolenCard']),
  card('4000000000000069', decline(DECLINES.expired), ['pm_card_chargeDeclinedExpiredCard'], ['tok_chargeDeclinedExpiredCard']),
  card('4000000000000127', decline(DECLINES.incorrectCvc), ['pm_card_chargeDeclinedIncorrectCvc'], ['tok_chargeDeclinedIncorrectCvc']),
  card('4000000000000119', decline(DECLINES.processing), ['pm_card_chargeDeclinedProcessingError'], ['tok_chargeDeclinedProcessingError']),
  card('4000000000006975', decline(DECLINES.velocity), ['pm_card_visa_chargeDeclinedVelocityLimitExceeded']),
  card('4000000000000341', decline(DECLINES.generic), ['pm_card_chargeCustomerFail'], ['tok_chargeCustomerFail']),
  card('4100000000000019', decline(DECLINES.fraudulent), ['pm_card_radarBlock'], ['tok_radarBlock']),
  card('4000002500003155', auth(), ['pm_card_authenticationRequiredOnSetup']),
  card('4000002760003184', auth(), ['pm_card_authenticationRequired']),
  card('4000003800000446', auth(), ['pm_card_authenticationRequiredSetupForOffSession']),
  card('4000008260003178', auth(DECLINES.insufficientFunds), ['pm_card_authenticationRequiredChargeDeclinedInsufficientFunds']),
  card('4000000000003220', auth(), ['pm_card_threeDSecure2Required'], ['tok_threeDSecure2Required']),
  card('4000008400001629', auth(DECLINES.generic), ['pm_card_threeDSecureRequiredChargeDeclined']),
  card('4000008400001280', auth(DECLINES.processing), ['pm_card_threeDSecureRequiredProcessingError']),
  card('4000000000005126', { kind: 'refund_fail' }, ['pm_card_refundFail'], ['tok_refundFail']),
  card('4000000000000259', { kind: 'dispute', reason: 'fraudulent', inquiry: false }, ['pm_card_createDispute'], ['tok_createDispute']),
  card('4000000000002685', { kind: 'dispute', reason: 'product_not_received', inquiry: false }, ['pm_card_createDisputeProductNotReceived']),
  card('4000000000001976', { kind: 'dispute', reason: 'general', inquiry: true }, ['pm_card_createDisputeInquiry']),
];

/** Test card behind a `pm_card_*` alias. */
export const cardByPaymentMethod = (id: string) => TEST_CARDS.find((c) => c.paymentMethods.includes(id));
/** Test card behind a `tok_*` alias (the sandbox's test tokens are reusable). */
export const cardByToken = (id: string) => TEST_CARDS.find((c) => c.tokens.includes(id));
/** Test card by number (spaces ignored). */
export const cardByNumber = (n: string) => TEST_CARDS.find((c) => c.number === n.replace(/\s+/g, ''));

/** Luhn check, as card forms do before anything is sent. */
export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return /^\d{12,19}$/.test(number) && sum % 10 === 0;
}

/** A number that passes Luhn but is not a test card: Stripe's test mode refuses live cards. */
export function unknownCard(number: string): TestCard {
  return { ...card(number, decline(DECLINES.liveCard), []), brand: number.startsWith('4') ? 'visa' : /^3[47]/.test(number) ? 'amex' : 'mastercard' };
}
