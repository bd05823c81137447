import express, { type Response, type Router } from 'express';
import type { StripeDeps } from './stripe.context';
import { AUTOMATIC } from './stripe.events';
import { esc } from '../pages/html';
import { stripeMessagePage as page } from '../pages/stripe-checkout.view';
import { threeDsChallengePage } from '../pages/three-ds.view';
import type { PaymentIntentRecord } from './stripe.store';

function returnTo(pi: PaymentIntentRecord, status: 'succeeded' | 'failed'): string | undefined {
  if (!pi.returnUrl) return undefined;
  const url = new URL(pi.returnUrl);
  url.searchParams.set('payment_intent', pi.obj.id);
  url.searchParams.set('payment_intent_client_secret', pi.obj.client_secret);
  url.searchParams.set('redirect_status', status);
  return url.toString();
}

/**
 * The 3-D Secure challenge at `next_action.redirect_to_url.url`: `action=complete`
 * authenticates (then the card's post-authentication outcome applies),
 * `action=fail` fails authentication; both 303 to the PaymentIntent's `return_url`.
 */
export function threeDsPage(deps: StripeDeps): Router {
  const { store, payments } = deps;
  const r = express.Router();
  r.use(express.urlencoded({ extended: false }));

  const find = (id: string, secret: unknown, res: Response): PaymentIntentRecord | undefined => {
    const pi = store.paymentIntents.get(id);
    if (!pi || (secret !== undefined && secret !== pi.obj.client_secret)) {
      res.status(404).type('html').send(page('Not found', '<h1>No such authentication request.</h1>'));
      return undefined;
    }
    if (pi.obj.status !== 'requires_action') {
      res.status(409).type('html').send(page('Nothing to authenticate', `<h1>This payment does not need authentication.</h1><p>PaymentIntent status: ${esc(pi.obj.status)}.</p>`));
      return undefined;
    }
    return pi;
  };

  r.get('/:id', (req, res) => {
    const pi = find(req.params.id, req.query.client_secret, res);
    if (!pi) return;
    res.type('html').send(threeDsChallengePage(pi, store.paymentMethods.get(pi.obj.payment_method ?? '')?.card));
  });

  r.post('/:id', (req, res) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const pi = find(req.params.id, form.client_secret ?? req.query.client_secret, res);
    if (!pi) return;
    let status: 'succeeded' | 'failed';
    if (form.action === 'complete') {
      const pm = store.paymentMethods.get(pi.obj.payment_method ?? '');
      const result = pm ? payments.confirm(pi, pm, AUTOMATIC, true) : undefined;
      status = result?.kind === 'succeeded' ? 'succeeded' : 'failed';
    } else if (form.action === 'fail') {
      payments.failAuthentication(pi, AUTOMATIC);
      status = 'failed';
    } else {
      return res.status(400).type('html').send(page('Bad request', '<h1>Choose complete or fail.</h1>'));
    }
    const target = returnTo(pi, status);
    if (target) return res.redirect(303, target);
    res.type('html').send(page('Done', `<h1>Authentication ${status === 'succeeded' ? 'complete' : 'failed'}.</h1>`));
  });
  return r;
}
