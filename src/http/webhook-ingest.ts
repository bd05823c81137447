import { recordHttpRequest } from '../observability/metrics';
import { routeLabel } from '../observability/metrics.routes';
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
  const securityHeaders = Object.entries({ ...headersOf(helmetOptions), 'Content-Type': 'application/json; charset=utf-8' }).flat();
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const match = ROUTE.exec(url);
    const length = Number(req.headers['content-length']);
    if (!match || !Number.isInteger(length) || length > WEBHOOK_MAX_BYTES || req.headers['transfer-encoding'] || (req.headers['content-encoding'] ?? 'identity') !== 'identity') return false;
    const started = process.hrtime.bigint();
    const path = url.split('?')[0];
    inFlight.track(res);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The span starts once the body is in: stream callbacks do not carry the context they were registered in.
    req.on('end', () => withHttpSpan('POST', path, res, () => {
      void receiveWebhook(services, WEBHOOK_PROVIDERS[match[1]], chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), req.headers).then((answer) => {
        const body = JSON.stringify(answer.body);
        // One array of header pairs, built once: no object of headers to copy per delivery.
        const headers = [...securityHeaders, 'Content-Length', String(Buffer.byteLength(body))];
        if (answer.headers) headers.push(...Object.entries(answer.headers).flat());
        res.writeHead(answer.status, headers);
        res.end(body);
        // The metric and the request line at the same moment (Express's path records its metric on 'finish').
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        recordHttpRequest('POST', routeLabel(path), answer.status, seconds);
        logRequest(services.logger, 'POST', url, answer.status, started);
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
