import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { knex, type Knex } from '@mikro-orm/knex';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ensureBuilt, runMain, waitForOutput, type Started } from '../helpers/process.helpers';
import { freePort } from '../helpers/tcp.helpers';
import { createOrder, eventually, gql, TEST_ADMIN_KEY } from '../helpers/service.helpers';
import { startTestEndpoint, type TestEndpoint } from '../helpers/webhook-endpoint.server';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`;
const SUBSCRIPTION = `subscription($id: ID!, $afterSequence: Int) { orderStatusChanged(orderId: $id, afterSequence: $afterSequence) { sequence status } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status events { sequence type } } }`;

/**
 * kill -9 of the real process (`node dist/main.js`) after a status change committed and before its
 * outbox row was removed: a trigger the test puts on the database makes every removal fail
 * meanwhile, so the row stays. The live subscriber has heard of the change already (SQLite's
 * dispatcher publishes as soon as it reads the row), the merchant's endpoint has not (deliveries
 * are queued in the removing transaction). After a restart the row goes out again: the endpoint
 * receives it once, and the subscriber, which reconnects with afterSequence, does not see it twice.
 */
describe('outbox across kill -9', () => {
  let dir: string;
  let service: Started | undefined;
  let endpoint: TestEndpoint;
  let db: Knex;
  let client: Client | undefined;

  beforeAll(() => ensureBuilt(), 120_000);

  afterAll(async () => {
    await client?.dispose();
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGTERM');
      await service.exit;
    }
    await db?.destroy();
    await endpoint?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes and delivers, after the restart, a change committed just before the crash', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'payments-outbox-crash-'));
    const port = await freePort();
    const file = path.join(dir, 'payments.sqlite');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:${file}`,
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      SANDBOX: 'off',
      OUTBOUND_WEBHOOK_RETRY_BASE_SECONDS: '0.1',
    };
    const graphqlUrl = `http://127.0.0.1:${port}/graphql`;
    service = runMain(dir, env);
    await waitForOutput(service, /GraphQL API:/);

    endpoint = await startTestEndpoint();
    const created = await gql(graphqlUrl, CREATE, { input: { url: endpoint.url, events: ['order.canceled'] } }, TEST_ADMIN_KEY);
    endpoint.setSecret(created.data!.createWebhookEndpoint.secret);
    const { id, token } = await createOrder(graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);

    // The storefront's way: graphql-ws reconnects by itself and re-sends these variables, which keep the last sequence seen.
    const seen: { sequence: number; status: string }[] = [];
    const variables: { id: string; afterSequence: number | null } = { id, afterSequence: 0 };
    client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 100,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 200)),
      shouldRetry: () => true,
    });
    let connected = 0;
    client.on('connected', () => connected++);
    client.subscribe<{ orderStatusChanged: { sequence: number; status: string } }>({ query: SUBSCRIPTION, variables }, {
      next: (result) => {
        const change = result.data?.orderStatusChanged;
        if (!change) return;
        seen.push(change);
        variables.afterSequence = change.sequence;
      },
      error: () => undefined,
      complete: () => undefined,
    });
    await eventually(async () => connected === 1, 'the subscriber to connect');

    db = knex({ client: 'sqlite3', connection: { filename: file }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
    await db.raw(`create trigger hold_outbox before delete on outbox_messages begin select raise(abort, 'held by the crash test'); end`);
    const canceled = await gql(graphqlUrl, CANCEL, { id }, token);
    expect(canceled.errors).toBeUndefined();
    const change = canceled.data!.cancelOrder.events.find((e: { type: string }) => e.type === 'STATUS_CHANGED');
    // Committed (the answer came after the commit, and the row is on disk) and published at once
    // (SQLite's dispatcher reads beside the writer), but neither removed nor delivered.
    expect(await db('outbox_messages').select('event_sequence')).toEqual([{ event_sequence: change.sequence }]);
    await eventually(async () => seen.length > 0, 'the live subscriber to hear of the change');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The claim keeps failing and is retried: the change is not published again meanwhile.
    expect(seen).toEqual([{ sequence: change.sequence, status: 'CANCELED' }]);
    expect(endpoint.received).toEqual([]);

    service.child.kill('SIGKILL');
    await service.exit;
    await db.raw('drop trigger hold_outbox');
    await db.destroy();

    service = runMain(dir, env);
    await waitForOutput(service, /GraphQL API:/);
    await eventually(async () => endpoint.received.length > 0 && connected >= 2, 'the endpoint to receive the change and the subscriber to reconnect', 20_000);
    // Published again after the restart (the row was still there), and dropped by the subscriber that resumed after its sequence.
    expect(seen).toEqual([{ sequence: change.sequence, status: 'CANCELED' }]);
    await eventually(async () => endpoint.received.some((m) => m.verified), 'a verified delivery');
    const [message] = endpoint.received;
    expect(message.payload).toMatchObject({ type: 'order.canceled', data: { order: { id, status: 'CANCELED' }, change: { sequence: change.sequence, status: 'CANCELED' } } });
  }, 90_000);
});
