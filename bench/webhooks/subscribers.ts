import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** `count` graphql-ws clients, one subscription each to `orderStatusChanged` of its own order. */
export interface Subscribers {
  /** orderId → when the PAID message arrived here (epoch ms). */
  paidAt: Map<string, number>;
  close(): Promise<void>;
}

export async function subscribe(serviceUrl: string, adminKey: string, orderIds: string[]): Promise<Subscribers> {
  const paidAt = new Map<string, number>();
  const clients: Client[] = [];
  let connected = 0;
  for (const orderId of orderIds) {
    const client = createClient({
      url: `${serviceUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${adminKey}` },
      retryAttempts: 0,
      lazy: false,
      on: { connected: () => connected++ },
    });
    client.subscribe<{ orderStatusChanged: { status: string } }>(
      { query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }', variables: { id: orderId } },
      {
        next: (result) => {
          if (result.data?.orderStatusChanged.status === 'PAID' && !paidAt.has(orderId)) paidAt.set(orderId, Date.now());
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    clients.push(client);
  }
  const deadline = Date.now() + 30_000;
  while (connected < orderIds.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  // Subscriptions are registered once the server has read each client's subscribe message.
  await new Promise((r) => setTimeout(r, 500));
  return { paidAt, close: async () => void (await Promise.all(clients.map((c) => c.dispose()))) };
}
