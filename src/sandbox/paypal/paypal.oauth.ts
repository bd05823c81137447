import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { SandboxContext } from '../core/sandbox.types';
import { accessToken, paypalTime } from './paypal.ids';
import type { PayPalState } from './paypal.state';

/** PayPal's default token lifetime when the sandbox options do not set one. */
const DEFAULT_TTL_SECONDS = 32400;

/** Scopes a REST app with Checkout and webhooks gets (subset of PayPal's real list). */
const SCOPE = [
  'https://uri.paypal.com/services/payments/payment/authcapture',
  'openid',
  'https://uri.paypal.com/services/payments/refund',
  'https://uri.paypal.com/services/applications/webhooks',
  'https://uri.paypal.com/services/applications/verify-webhook-signature',
  'https://uri.paypal.com/payments/payouts',
].join(' ');

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * `POST /v1/oauth2/token` — the client-credentials grant, answered in
 * PayPal's OAuth shapes (note: OAuth errors are `{error, error_description}`,
 * not the REST `{name, message}` shape).
 */
export function createOAuthRouter(ctx: SandboxContext, state: PayPalState): Router {
  const router = Router();
  router.post('/v1/oauth2/token', express.urlencoded({ extended: false }), (req: Request, res: Response) => {
    const creds = basicCredentials(req.headers.authorization);
    const { clientId, clientSecret } = ctx.options.paypal;
    if (!creds || !sameText(creds.id, clientId) || !sameText(creds.secret, clientSecret)) {
      res.status(401).json({ error: 'invalid_client', error_description: 'Client Authentication failed' });
      return;
    }
    const grant = (req.body as Record<string, unknown> | undefined)?.grant_type;
    if (grant === undefined) {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' });
      return;
    }
    if (grant !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: `${String(grant)} is not supported by the sandbox (only client_credentials)` });
      return;
    }
    const ttl = ctx.options.paypalTokenTtlSeconds ?? DEFAULT_TTL_SECONDS;
    const token = accessToken();
    state.tokens.set(token, { expiresAt: Date.now() + ttl * 1000 });
    state.tokensIssued += 1;
    res.status(200).json({
      scope: SCOPE,
      access_token: token,
      token_type: 'Bearer',
      app_id: 'APP-80W284485P519543T',
      expires_in: ttl,
      nonce: `${paypalTime()}${token.slice(-43)}`,
    });
  });
  return router;
}

/**
 * Guards every REST call: a missing header gets the REST
 * `AUTHENTICATION_FAILURE` body, an unknown or expired bearer token the
 * OAuth `invalid_token` body — the two shapes PayPal itself uses.
 */
export function requireBearer(state: PayPalState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      res.status(401).json({
        name: 'AUTHENTICATION_FAILURE',
        message: 'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
        links: [{ href: 'https://developer.paypal.com/docs/api/overview/#error', rel: 'information_link' }],
      });
      return;
    }
    const token = state.tokens.get(match[1]);
    if (!token) {
      res.status(401).json({ error: 'invalid_token', error_description: 'Token signature verification failed' });
      return;
    }
    if (token.expiresAt <= Date.now()) {
      res.status(401).json({ error: 'invalid_token', error_description: 'Access Token not found in cache' });
      return;
    }
    next();
  };
}
