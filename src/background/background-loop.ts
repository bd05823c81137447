import type { Logger } from '../logging/logger';
import { Wakeup } from './wakeup';

/** How long `stop()` waits for the round in hand. */
const STOP_WAIT_MS = 5_000;

/**
 * A worker inside the service (the webhook applier, the outbox dispatcher, the outbound delivery
 * worker): one loop of rounds, woken at once by `wake()` and by a poll as a fallback, backing off
 * while its database cannot be reached. `stop()` lets the round in hand finish.
 */
export abstract class BackgroundLoop {
  protected stopped = true;
  protected readonly wakeup = new Wakeup();
  private running?: Promise<void>;

  constructor(
    protected readonly logger: Logger,
    /** Names the worker in its log lines. */
    private readonly name: string,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.run();
  }

  /**
   * Lets the round in hand finish, for at most `STOP_WAIT_MS`: a round stuck on a database that
   * went away (its connection closed under a query) must not hold the shutdown. Whatever it had
   * not committed is rolled back and done again after the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeup.wake();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      this.running?.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (gaveUp) this.logger.warn({ waitedMs: STOP_WAIT_MS }, `${this.name}: its round did not finish in time; stopping without it`);
  }

  /** There is work: start a round now rather than at the next poll. */
  wake(): void {
    this.wakeup.wake();
  }

  /** One round; returns how much it did (0: nothing to do, so sleep until woken or the poll). */
  protected abstract round(): Promise<number>;

  /** How long to sleep when a round found nothing to do. */
  protected abstract pollMs(): number;

  /** Runs once before the first round (e.g. releasing a dead predecessor's claims). */
  protected async prepare(): Promise<void> {}

  /** Called when the loop really goes to sleep, with nothing left to do. */
  protected onIdle(): void {}

  /** Sleeps up to `ms`; a wake, or stopping, ends it early. */
  protected sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.wakeup.sleep(ms, () => this.onIdle());
  }

  private async run(): Promise<void> {
    await this.prepare();
    let failures = 0;
    while (!this.stopped) {
      let worked = 0;
      try {
        worked = await this.round();
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.warn({ err: error, failures }, `${this.name} could not reach the database; retrying`);
        await this.sleep(Math.min(5000, 100 * 2 ** failures));
        continue;
      }
      if (worked === 0) await this.sleep(this.pollMs());
    }
  }
}
