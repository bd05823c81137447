/**
 * A recording HTTP proxy for tests: every request is kept (method, path, query, raw body) and
 * forwarded to the target its path maps to, and the answer is passed back unchanged. Put between
 * the service and a provider sandbox, it shows exactly what the service sent over the wire.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  body: string;
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** `targetFor(path)` names the base URL to forward to (undefined → 502). It may change while the proxy runs. */
export async function startRecordingProxy(targetFor: (path: string) => string | undefined): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [path, query = ''] = (req.url ?? '/').split('?');
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? 'GET', path, query, body: body.toString('utf8') });
      const target = targetFor(path);
      if (!target) return void res.writeHead(502).end('no target');
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
      fetch(`${target}${req.url}`, { method: req.method, headers, body: body.length > 0 ? body : undefined, redirect: 'manual' })
        .then(async (answer) => {
          const out = Buffer.from(await answer.arrayBuffer());
          const passed: Record<string, string> = {};
          answer.headers.forEach((v, k) => { if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) passed[k] = v; });
          res.writeHead(answer.status, passed).end(out);
        })
        .catch(() => res.writeHead(502).end('target unreachable'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
