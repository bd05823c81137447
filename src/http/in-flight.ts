import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * Counts requests that are running and, once shutdown has begun, those that ended without their
 * response being sent (cut when the grace ran out), so the process can exit non-zero for them.
 */
export class InFlight {
  private running = 0;
  private stopping = false;
  private cutCount = 0;

  middleware(): RequestHandler {
    return (_req, res, next) => {
      this.track(res);
      next();
    };
  }

  /** Counts one request until its response closes (also used by the plain node:http webhook path). */
  track(res: ServerResponse): void {
    this.running++;
    res.once('close', () => {
      this.running--;
      if (this.stopping && !res.writableFinished) this.cutCount++;
    });
  }

  /** From now on, a request closed before its response was complete counts as cut. */
  beginShutdown(): void {
    this.stopping = true;
  }

  get active(): number {
    return this.running;
  }

  get cut(): number {
    return this.cutCount;
  }
}
