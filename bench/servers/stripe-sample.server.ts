import type { AddressInfo } from 'node:net';
import express from 'express';
import Stripe from 'stripe';

/**
 * Stripe's documented sample webhook handler, as a team would paste it: Express, the raw body,
 * `stripe.webhooks.constructEvent`, a `switch` on the type, `{ received: true }`. Stores nothing.
 */
const stripe = new Stripe('sk_test_bench_sample');
const endpointSecret = process.env.BENCH_WEBHOOK_SECRET!;
const app = express();

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), (request, response) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(request.body as Buffer, request.headers['stripe-signature'] as string, endpointSecret);
  } catch (err) {
    response.status(400).send(`Webhook Error: ${(err as Error).message}`);
    return;
  }
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      void session;
      break;
    }
    case 'payment_intent.succeeded':
      break;
    default:
      break;
  }
  response.json({ received: true });
});

const server = app.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
