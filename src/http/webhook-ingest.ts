import { countHttpRequest } from '../observability/metrics.routes';
import { withHttpSpan } from '../observability/tracing.hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { AppServices } from '../graphql/app-services';
import type { InFlight } from './in-flight';
import { logRequest } from './request-log';
import { receiveWebhook, WEBHOOK_MAX_BYTES, WEBHOOK_PROVIDERS } from './webhook.routes';

const ROUTE = /^\/webhooks\/(stripe|paypal)\/?(?:\?.*)?$/;

/**
 * Webhook ingest on plain node:http, in front of Express: the hot path of a provider's flood
 * (a profile of ingest showed Express's router, helmet and body-parser taking about a third of the
 * main thread per delivery). The same answers as the Express route (`receiveWebhook`), the same
 * security headers, request log and in-flight count. Returns false for anything it does not take
 * (other routes, a body without Content-Length, compressed or over the limit), which Express then answers.
 */
export function webhookIngest(services: AppServices, inFlight: InFlight, helmetOptions: Parameters<typeof helmet>[0]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const securityHeaders = headersOf(helmetOptions);
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const match = ROUTE.exec(req.url ?? '');
    const length = Number(req.headers['content-length']);
    if (!match || !Number.isInteger(length) || length > WEBHOOK_MAX_BYTES || req.headers['transfer-encoding'] || (req.headers['content-encoding'] ?? 'identity') !== 'identity') return false;
    const started = process.hrtime.bigint();
    inFlight.track(res);
    countHttpRequest(req.method, req.url!.split('?')[0], res);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The span starts once the body is in: stream callbacks do not carry the context they were registered in.
    req.on('end', () => withHttpSpan(req.method!, req.url!.split('?')[0], res, () => {
      void receiveWebhook(services, WEBHOOK_PROVIDERS[match[1]], Buffer.concat(chunks), req.headers).then((answer) => {
        const body = JSON.stringify(answer.body);
        res.writeHead(answer.status, { ...securityHeaders, ...answer.headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
        logRequest(services.logger, req.method!, req.url!, res.statusCode, started);
      });
    }));
    return true;
  };
}

/** The headers helmet sets with these options, computed once (helmet's middleware only sets headers). */
function headersOf(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => (headers[name] = String(value)), removeHeader: (name: string) => delete headers[name] };
  helmet(options)({} as never, res as never, () => undefined);
  return headers;
}
