import { DueEventSource } from '../../src/domain/services/webhook-inbox.due-source';
import type { DueEvent, WebhookInboxStore } from '../../src/domain/services/webhook-inbox.store';

/**
 * Where the inbox worker takes its next events from: those ingest just handed over, or the inbox.
 * The inbox here is a list standing in for the store's `due` read (the read itself is tested end to
 * end in test/e2e/webhook-apply-reads.test.ts and the inbox suites); what is tested is when the
 * worker must read it rather than trust what it was handed.
 */
describe('DueEventSource', () => {
  const event = (n: number): DueEvent => ({ id: `e${n}`, seq: n, provider: 'stripe', eventId: `evt_${n}`, type: 't', payload: '{}', attempts: 0 });
  let inbox: DueEvent[];
  let reads: number;
  const store = { due: async (limit: number) => (reads++, inbox.slice(0, limit)) } as unknown as WebhookInboxStore;
  const source = () => new DueEventSource(store, { batchSize: 2, pollMs: 10_000 });

  beforeEach(() => {
    inbox = [];
    reads = 0;
  });

  it('reads the inbox first, then takes what it is handed without reading it back, a batch at a time', async () => {
    const s = source();
    inbox = [event(1)];
    expect(await s.next(0)).toEqual({ events: [event(1)], more: false });
    expect(reads).toBe(1);
    s.offer([event(2), event(3), event(4)]);
    expect(await s.next(0)).toEqual({ events: [event(2), event(3)], more: true });
    expect(await s.next(0)).toEqual({ events: [event(4)], more: false });
    expect(reads).toBe(1);
  });

  it('reads the inbox when a retry falls due, even while it is handed events', async () => {
    const s = source();
    await s.next(0);
    s.nextRetryAt = Date.now() - 1;
    inbox = [event(1), event(2)];
    s.offer([event(2)]);
    // A full read: more may be due behind it, so the next round reads again.
    expect(await s.next(0)).toEqual({ events: [event(1), event(2)], more: true });
    inbox = [];
    s.offer([event(3)]);
    expect(await s.next(0)).toEqual({ events: [], more: false });
    expect(reads).toBe(3);
    // That read took everything due: the retry is forgotten, and what is handed over is taken again.
    expect(s.nextRetryAt).toBe(Number.POSITIVE_INFINITY);
    s.offer([event(4)]);
    expect(await s.next(0)).toEqual({ events: [event(4)], more: false });
    expect(reads).toBe(3);
  });

  it('reads the inbox after a wake that was not an append, and what it was handed is in that read', async () => {
    const s = source();
    await s.next(0);
    s.offer([event(1)]);
    s.askRead();
    inbox = [event(0), event(1)];
    expect(await s.next(0)).toEqual({ events: [event(0), event(1)], more: true });
    expect(reads).toBe(2);
  });

  it('reads the inbox instead of holding more than a few batches it was handed', async () => {
    const s = source();
    await s.next(0);
    s.offer([1, 2, 3, 4, 5, 6, 7, 8].map(event));
    s.offer([event(9)]);
    inbox = [event(1)];
    expect(await s.next(0)).toEqual({ events: [event(1)], more: false });
    expect(reads).toBe(2);
  });

  it('reads the inbox at least every pollMs under a steady stream', async () => {
    const s = new DueEventSource(store, { batchSize: 2, pollMs: 50 });
    await s.next(0);
    s.offer([event(1)]);
    expect((await s.next(0)).events).toEqual([event(1)]);
    expect(reads).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    s.offer([event(2)]);
    inbox = [event(2)];
    expect((await s.next(0)).events).toEqual([event(2)]);
    expect(reads).toBe(2);
  });
});
