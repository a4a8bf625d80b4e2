/**
 * Promises that settle once a condition holds, re-checked after each change: delivery's drain() waits
 * for an empty outbox this way, and the benchmark's webhook receiver for a matching alert.
 */
export class Waiters {
  private readonly checks = new Set<() => void>();

  /** Re-check every pending condition; call it after each change a condition may depend on. */
  notify(): void {
    for (const check of this.checks) check();
  }

  /**
   * Resolves with `probe()`'s first value other than undefined (tried now and on every notify());
   * rejects with `timeoutError()` after `timeoutMs`.
   */
  until<T>(probe: () => T | undefined, timeoutMs: number, timeoutError: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(timeoutError());
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.checks.delete(check);
      };
      this.checks.add(check);
      check();
    });
  }
}
