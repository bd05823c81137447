/**
 * Order access tokens already proven valid (their SHA-256) → the order they open. A token never
 * changes order and orders are never deleted, so an entry cannot go stale; only the newest
 * `capacity` tokens are kept. Filled when an order is created (after its commit) and on each
 * successful lookup, it spares the follow-up requests of a checkout their token query.
 */
export class AccessTokenCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  orderIdFor(tokenHash: string): string | undefined {
    return this.entries.get(tokenHash);
  }

  remember(tokenHash: string, orderId: string): void {
    if (this.entries.size >= this.capacity && !this.entries.has(tokenHash)) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(tokenHash, orderId);
  }
}
