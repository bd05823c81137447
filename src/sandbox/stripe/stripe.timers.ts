/** Timers the Stripe module starts itself (e.g. a refund failing later); all cancelled on close. */
export function moduleTimers(): { later(ms: number, fn: () => void): void; close(): void } {
  const timers = new Set<NodeJS.Timeout>();
  return {
    later(ms, fn) {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      t.unref();
      timers.add(t);
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
