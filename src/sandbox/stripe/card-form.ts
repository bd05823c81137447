import { cardByNumber, luhnValid, unknownCard, type TestCard } from './stripe.cards';

/** A valid card entry from the hosted form. */
export interface CardEntry {
  card: TestCard;
  exp: { month: number; year: number };
  email: string | null;
}

/** Field name → customer-facing error, worded like Stripe's card element. */
export type FieldErrors = Partial<Record<'email' | 'card_number' | 'exp' | 'cvc', string>>;

/**
 * Stripe's documented test defaults ("any valid future date, any CVC") for fields a scripted POST
 * leaves out entirely, so `curl -d card_number=… -d action=pay <url>` pays (CONTRACT §5). A field
 * that is present but empty is what a person left blank, and stays an error.
 */
function withScriptedDefaults(form: Record<string, string | undefined>, presetEmail: string | null): Record<string, string | undefined> {
  const nextYear = String((new Date().getFullYear() + 1) % 100).padStart(2, '0');
  const amex = /^3[47]/.test((form.card_number ?? '').replace(/[\s-]+/g, ''));
  return {
    ...form,
    email: form.email ?? presetEmail ?? 'customer@example.com',
    exp: form.exp ?? `12/${nextYear}`,
    cvc: form.cvc ?? (amex ? '1234' : '123'),
  };
}

/** Validate the hosted form's `email`, `card_number`, `exp` (MM/YY) and `cvc`. */
export function readCardForm(submitted: Record<string, string | undefined>, presetEmail: string | null): { entry?: CardEntry; errors: FieldErrors } {
  const form = withScriptedDefaults(submitted, presetEmail);
  const errors: FieldErrors = {};
  const email = (form.email ?? '').trim() || presetEmail;
  if (!email) errors.email = 'Your email address is incomplete.';
  else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) errors.email = 'Your email address is invalid.';
  const number = (form.card_number ?? '').replace(/[\s-]+/g, '');
  if (!/^\d+$/.test(number) || number.length < 13) errors.card_number = 'Your card number is incomplete.';
  else if (!luhnValid(number)) errors.card_number = 'Your card number is incorrect.';
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(form.exp ?? '');
  let exp: CardEntry['exp'] | undefined;
  if (!m) errors.exp = "Your card's expiration date is incomplete.";
  else {
    const month = Number(m[1]);
    const year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
    const now = new Date();
    if (month < 1 || month > 12) errors.exp = "Your card's expiration date is invalid.";
    else if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) errors.exp = "Your card's expiration year is in the past.";
    else exp = { month, year };
  }
  const card = errors.card_number ? undefined : (cardByNumber(number) ?? unknownCard(number));
  const cvcLength = card?.brand === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test((form.cvc ?? '').trim())) errors.cvc = "Your card's security code is incomplete.";
  if (Object.keys(errors).length || !card || !exp) return { errors };
  return { entry: { card, exp, email }, errors };
}
