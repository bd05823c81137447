import type { Knex } from '@mikro-orm/knex';

const TABLE = 'reconcile_leases';
const NAME = 'sync';

/**
 * One sync round at a time across every instance sharing the database. Taking the lease is one
 * conditional UPDATE (it is free, expired, or already ours), which both SQLite and PostgreSQL apply
 * atomically to the one row; an instance that dies mid-round simply stops renewing, and once
 * `expires_at` passes another instance takes the round over.
 */
export class ReconcileLease {
  constructor(
    private readonly knex: Knex,
    readonly holder: string,
    private readonly leaseMs: number,
  ) {}

  /** Takes (or renews) the lease; false when another live instance holds it. */
  async acquire(now = Date.now()): Promise<boolean> {
    const updated = await this.knex(TABLE)
      .where({ name: NAME })
      .andWhere((q) => q.where('holder', this.holder).orWhereNull('holder').orWhere('expires_at', '<', now))
      .update({ holder: this.holder, expires_at: now + this.leaseMs });
    return updated === 1;
  }

  /** Renews a lease this instance holds; false when it was lost (taken over after expiring). */
  async renew(now = Date.now()): Promise<boolean> {
    const updated = await this.knex(TABLE).where({ name: NAME, holder: this.holder }).update({ expires_at: now + this.leaseMs });
    return updated === 1;
  }

  /** Gives the lease up at once, so the next round (on any instance) need not wait for it to expire. */
  async release(): Promise<void> {
    await this.knex(TABLE).where({ name: NAME, holder: this.holder }).update({ holder: null, expires_at: 0 });
  }
}
