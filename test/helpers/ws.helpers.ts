import type { Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What one operation over graphql-ws ended with: its results, or the errors it was refused with. */
export interface WsOutcome {
  results: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] }[];
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** Runs one query/mutation over graphql-ws and waits for it to complete or be refused. */
export function wsRun(client: Client, query: string, variables?: Record<string, unknown>): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const results: WsOutcome['results'] = [];
    client.subscribe(
      { query, variables },
      {
        next: (r) => results.push(r as WsOutcome['results'][number]),
        error: (e) => resolve({ results, errors: Array.isArray(e) ? e : [{ message: String((e as { message?: string; reason?: string })?.message ?? (e as { reason?: string })?.reason ?? e) }] }),
        complete: () => resolve({ results }),
      },
    );
  });
}

/** A raw graphql-transport-ws socket: resolves once acknowledged, or with the close code/status if refused. */
export function rawSocket(wsUrl: string, connectionParams: Record<string, unknown> = {}) {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const acked = new Promise<'acked' | { status: number }>((resolve, reject) => {
    socket.once('unexpected-response', (req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      req.destroy();
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve('acked');
    });
    socket.once('error', (e) => (socket.readyState === WebSocket.CLOSED ? undefined : reject(e)));
    closed.then(() => reject(new Error('closed before the acknowledgement')), () => undefined);
  });
  acked.catch(() => undefined);
  return { socket, acked, closed, close: () => socket.terminate() };
}
