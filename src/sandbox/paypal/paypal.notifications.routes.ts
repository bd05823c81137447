import express, { Router, type Request, type Response } from 'express';
import { isDeepStrictEqual } from 'node:util';
import type { SandboxContext } from '../core/sandbox.types';
import { PayPalApiError } from './paypal.errors';
import { signedMessage, signingIdentity, verifyTransmission } from './paypal.signing';
import type { PayPalState } from './paypal.state';
import { certUrl } from './paypal.webhooks';

const REQUIRED = ['auth_algo', 'cert_url', 'transmission_id', 'transmission_sig', 'transmission_time', 'webhook_id', 'webhook_event'] as const;

/** `GET /v1/notifications/certs/:id` — the signing certificate as PEM (public, like PayPal's). */
export function createCertRouter(): Router {
  const router = Router();
  router.get('/v1/notifications/certs/:certId', (req: Request, res: Response) => {
    const identity = signingIdentity();
    if (req.params.certId !== identity.certId) {
      res.status(404).json({ name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.', details: [{ issue: 'INVALID_RESOURCE_ID', description: 'Unknown certificate id.' }] });
      return;
    }
    res.status(200).type('text/plain').send(identity.certPem);
  });
  return router;
}

/**
 * The bytes to check a postback against. PayPal re-serialises the parsed
 * `webhook_event` it is given; the sandbox uses the exact bytes it posted
 * when the given event is that same event (so honest callers get SUCCESS
 * whatever their JSON library did to key order or spacing), and the
 * re-serialised JSON otherwise (so a tampered event fails).
 */
function bytesFor(state: PayPalState, event: unknown): string {
  const id = typeof event === 'object' && event !== null ? (event as { id?: unknown }).id : undefined;
  const sent = typeof id === 'string' ? state.events.get(id) : undefined;
  if (sent && isDeepStrictEqual(JSON.parse(sent.body), event)) return sent.body;
  return JSON.stringify(event);
}

/** `POST /v1/notifications/verify-webhook-signature` (Webhooks v1, "postback" verification). */
export function createNotificationsRouter(ctx: SandboxContext, state: PayPalState): Router {
  const router = Router();
  router.post('/v1/notifications/verify-webhook-signature', express.json({ type: () => true }), (req: Request, res: Response) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const missing = REQUIRED.filter((key) => body[key] === undefined || body[key] === null || body[key] === '');
    if (missing.length > 0) {
      throw new PayPalApiError(400, missing.map((field) => ({
        field: `/${field}`, location: 'body' as const, issue: 'MISSING_REQUIRED_PARAMETER', description: `${field} is required.`,
      })), 'notifications');
    }
    const strings = REQUIRED.slice(0, 6).every((key) => typeof body[key] === 'string');
    const ok = strings
      && body.auth_algo === 'SHA256withRSA'
      && body.cert_url === certUrl(ctx)
      && verifyTransmission(
        signedMessage(String(body.transmission_id), String(body.transmission_time), String(body.webhook_id), bytesFor(state, body.webhook_event)),
        String(body.transmission_sig),
      );
    res.status(200).json({ verification_status: ok ? 'SUCCESS' : 'FAILURE' });
  });
  return router;
}
