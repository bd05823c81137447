/**
 * Where one provider dispute stands (GraphQL enum `DisputeStatus`). A dispute only moves
 * forward: OPEN → WON or LOST, never back, so late or repeated events cannot reopen it.
 */
export enum DisputeStatus {
  OPEN = 'OPEN',
  /** Closed in the merchant's favour: the money stays (Stripe `won`/`warning_closed`, PayPal seller favour). */
  WON = 'WON',
  /** Closed in the buyer's favour: the bank or PayPal returned the money to the buyer. */
  LOST = 'LOST',
}
