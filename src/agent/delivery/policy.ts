/** Retry timing, per-key rate limits and dedupe: small pure pieces with the clock injected. */
import type { Alert } from './alert.ts';

export interface BackoffPolicy {
  initial: number;
  max: number;
  factor: number;
  jitter: number;
}

/** Wait before retry number `attempt` (1 = after the first failure): exponential, capped, jittered. */
export function backoffMs(p: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(p.max, p.initial * p.factor ** Math.max(0, attempt - 1));
  const spread = base * p.jitter * (2 * random() - 1);
  return Math.max(0, Math.min(p.max, Math.round(base + spread)));
}

/** Token bucket per key: `count` tokens, refilled continuously over `windowMs`. */
export class KeyedTokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly count: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): boolean {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.count, at: t };
    b.tokens = Math.min(this.count, b.tokens + ((t - b.at) * this.count) / this.windowMs);
    b.at = t;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(key, b);
    // Full buckets carry no information; forget them so keys never accumulate.
    if (b.tokens >= this.count) this.buckets.delete(key);
    return ok;
  }
}

/**
 * Suppresses an alert that repeats the previous one for its key (same status and severity) within
 * the window: detection may re-emit after a restart or a flap, the receiver already knows.
 * A change (firing → resolved, warning → critical) always passes.
 */
export class Deduper {
  private readonly last = new Map<string, { status: string; severity: string; at: number }>();
  constructor(private readonly windowMs: number) {}

  /** Record an admitted alert (also used to rebuild state from the outbox after a restart). */
  remember(alert: Pick<Alert, 'key' | 'status' | 'severity'>, at: number): void {
    this.last.set(alert.key, { status: alert.status, severity: alert.severity, at });
  }

  isDuplicate(alert: Pick<Alert, 'key' | 'status' | 'severity'>, at: number): boolean {
    const prev = this.last.get(alert.key);
    return (
      prev !== undefined &&
      prev.status === alert.status &&
      prev.severity === alert.severity &&
      at - prev.at < this.windowMs
    );
  }
}
