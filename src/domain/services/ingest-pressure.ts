/** Deliveries in one commit from which ingest counts as flooded (the applier then stands back). */
const FLOOD_GROUP = 8;
/** A pause between commits longer than this ends a stretch of ingest activity. */
const FLOOD_QUIET_MS = 5;
/**
 * Full commits in a row, each started within FLOOD_QUIET_MS of the last, from which ingest counts
 * as flooded. A paced provider sends bursts (each connection on its own timer) that fill a commit
 * or two and stop, and deliveries that waited while the applier held SQLite's writer fill one;
 * a flood fills every commit.
 */
const FLOOD_STREAK = 3;

const WAITING = 0;
const COMMITTING = 1;
const LAST_COMMIT_ENDED_AT = 2;
const FULL_COMMITS = 3;

/**
 * How hard ingest is pressed, written by the group-commit appender and read by the inbox worker,
 * which may run on another thread: hence shared memory rather than fields (a stale read only
 * delays the worker's decision by one look).
 */
export class IngestPressure {
  private readonly slots: Float64Array;

  constructor(
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4 * Float64Array.BYTES_PER_ELEMENT),
    /** Milliseconds now, for the gaps between commits (a test holds it still). */
    private readonly now: () => number = Date.now,
  ) {
    this.slots = new Float64Array(buffer);
  }

  /** Deliveries waiting for the next commit (on SQLite the worker commits early for them). */
  get waiting(): number {
    return this.slots[WAITING];
  }

  set waiting(count: number) {
    this.slots[WAITING] = count;
  }

  /** A commit of `size` deliveries starts. */
  commitStarts(size: number): void {
    const inARow = this.now() - this.slots[LAST_COMMIT_ENDED_AT] < FLOOD_QUIET_MS;
    this.slots[FULL_COMMITS] = size < FLOOD_GROUP ? 0 : inARow ? this.slots[FULL_COMMITS] + 1 : 1;
  }

  commitEnded(): void {
    this.slots[LAST_COMMIT_ENDED_AT] = this.now();
  }

  /** A commit is in flight or about to start. */
  set committing(yes: boolean) {
    this.slots[COMMITTING] = yes ? 1 : 0;
  }

  /**
   * A flood is being taken in: the last FLOOD_STREAK commits, one right after the other, each held
   * at least FLOOD_GROUP deliveries, and ingest is still at it. At a steady rate, or in short
   * bursts, the worker never waits.
   */
  get flooded(): boolean {
    const active = this.slots[COMMITTING] === 1 || this.now() - this.slots[LAST_COMMIT_ENDED_AT] < FLOOD_QUIET_MS;
    return active && this.slots[FULL_COMMITS] >= FLOOD_STREAK;
  }
}
