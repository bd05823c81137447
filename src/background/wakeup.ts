/**
 * A background loop's sleep that a `wake()` cuts short; a wake that comes while the loop is busy
 * is remembered, so the next sleep returns at once and no signal is lost.
 */
export class Wakeup {
  private requested = false;
  private sleeper?: () => void;

  wake(): void {
    this.requested = true;
    this.sleeper?.();
  }

  /** Forgets a pending wake (call when starting a round that will see everything up to now). */
  clear(): void {
    this.requested = false;
  }

  /** Sleeps up to `ms`, or not at all when woken meanwhile; `onIdle` runs when it really sleeps. */
  sleep(ms: number, onIdle?: () => void): Promise<void> {
    if (this.requested) {
      this.requested = false;
      return Promise.resolve();
    }
    onIdle?.();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleeper = undefined;
        this.requested = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleeper = done;
    });
  }
}
