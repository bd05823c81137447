import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the endpoint received, and whether its Standard Webhooks signature verified. */
export interface ReceivedMessage {
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
  payload?: { type: string; timestamp: string; data: { order: Record<string, any> | null; change: Record<string, any> } };
}

/**
 * A merchant's endpoint on a free local port, as a merchant writes it: every request is verified
 * with the `standardwebhooks` package and the secret given by createWebhookEndpoint. `answer`
 * picks the status (and may wait) per request, e.g. 500, 500, then 200.
 */
export interface TestEndpoint {
  url: string;
  port: number;
  received: ReceivedMessage[];
  setSecret(secret: string): void;
  answer: (n: number, message: ReceivedMessage) => number | Promise<number>;
  close(): Promise<void>;
}

export async function startTestEndpoint(path = '/hooks'): Promise<TestEndpoint> {
  let secret = '';
  const endpoint: TestEndpoint = {
    url: '',
    port: 0,
    received: [],
    setSecret: (s) => (secret = s),
    answer: () => 200,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const message: ReceivedMessage = { id: String(req.headers['webhook-id']), headers: req.headers, body, verified: false };
      try {
        message.payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as ReceivedMessage['payload'];
        message.verified = true;
      } catch {
        message.verified = false;
      }
      endpoint.received.push(message);
      const status = message.verified ? await endpoint.answer(endpoint.received.length, message) : 400;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `status ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.port = (server.address() as AddressInfo).port;
  endpoint.url = `http://127.0.0.1:${endpoint.port}${path}`;
  return endpoint;
}
