import type { Knex } from '@mikro-orm/knex';

/** Who may hold SQLite's write turn: the thread serving requests, or the webhook applier's thread. */
export type WriterSide = 'main' | 'applier';

const OWNER = 0;
const WANTS = { main: 1, applier: 2 } as const;
const CODE = { main: 1, applier: 2 } as const;
const FREE = 0;

type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) => { async: false; value: string } | { async: true; value: Promise<string> };
// In every Node this project supports (20+); TypeScript's ES2023 lib does not declare it yet.
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * Turns at one SQLite file's write connection between two threads of one process, each with its
 * own connection. SQLite itself would make the second writer poll (its busy handler sleeps 1, 2,
 * 5, 10… ms) and fail a read-then-write transaction outright when the other committed in between
 * (SQLITE_BUSY_SNAPSHOT). Here a thread holds the turn from taking its connection out of the pool
 * to putting it back, so every transaction runs alone, as with one connection, and a waiting
 * thread is woken the moment the turn is free. When both want it, it alternates by stretches:
 * the thread the turn comes to serves every holder that was waiting for it then (the serving
 * thread's ingest commit, outbox removal and new orders, in arrival order), then hands it over.
 * So neither thread starves the other, and the serving thread's short commits are not each put
 * behind one of the applier's batches.
 */
export class WriterTurns {
  private readonly words: Int32Array;
  /** This thread's holders behind the current one, first come first served. */
  private readonly queued: (() => void)[] = [];
  /** This thread holds the turn, or is waiting for it. */
  private busy = false;
  /** Holders served since the turn came to this thread, and how many were waiting for it then. */
  private served = 0;
  private allowance = 1;

  constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly side: WriterSide,
  ) {
    this.words = new Int32Array(buffer);
  }

  static allocate(): SharedArrayBuffer {
    return new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  }

  async acquire(): Promise<void> {
    if (this.busy) return new Promise<void>((resolve) => this.queued.push(resolve));
    this.busy = true;
    await this.takeShared();
  }

  release(): void {
    this.served++;
    const otherWaits = Atomics.load(this.words, WANTS[this.other]) === 1;
    // This thread's holders that were waiting when the turn came go first; then the other thread.
    if (this.queued.length > 0 && (!otherWaits || this.served < this.allowance)) {
      this.queued.shift()!();
    } else if (otherWaits) {
      Atomics.store(this.words, OWNER, CODE[this.other]);
      Atomics.notify(this.words, OWNER);
      const next = this.queued.shift();
      if (next) void this.takeShared().then(next);
      else this.busy = false;
    } else {
      this.busy = false;
      Atomics.store(this.words, OWNER, FREE);
      Atomics.notify(this.words, OWNER);
    }
  }

  /** The other thread died holding or wanting the turn (it can no longer give it back): free it. */
  releaseAbandonedBy(side: WriterSide): void {
    Atomics.store(this.words, WANTS[side], 0);
    if (Atomics.compareExchange(this.words, OWNER, CODE[side], FREE) === CODE[side]) Atomics.notify(this.words, OWNER);
  }

  private get other(): WriterSide {
    return this.side === 'main' ? 'applier' : 'main';
  }

  private async takeShared(): Promise<void> {
    const mine = CODE[this.side];
    for (;;) {
      const owner = Atomics.compareExchange(this.words, OWNER, FREE, mine);
      // Free and taken now, or handed over by the other thread.
      if (owner === FREE || owner === mine) break;
      Atomics.store(this.words, WANTS[this.side], 1);
      const waited = waitAsync(this.words, OWNER, owner);
      if (waited.async) await waited.value;
    }
    Atomics.store(this.words, WANTS[this.side], 0);
    this.served = 0;
    this.allowance = this.queued.length + 1;
  }
}

interface PoolClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

/**
 * Every use of this knex's connections (a transaction, or a single statement) holds the write
 * turn from acquiring the connection to releasing it. For SQLite's one writer connection per thread.
 */
export function takeTurnsOnWriter(knex: Knex, turns: WriterTurns): void {
  const client = knex.client as unknown as PoolClient;
  const acquire = client.acquireConnection.bind(client);
  const release = client.releaseConnection.bind(client);
  client.acquireConnection = async () => {
    await turns.acquire();
    try {
      return await acquire();
    } catch (error) {
      turns.release();
      throw error;
    }
  };
  client.releaseConnection = async (connection) => {
    try {
      return await release(connection);
    } finally {
      turns.release();
    }
  };
}
