/**
 * One worker per sink: sends that sink's pending alerts oldest first, one at a time (a receiver sees
 * firing before resolved), acks each after its 2xx, and backs off on failure without blocking the
 * other sinks. A refused request (4xx) is dropped and counted rather than retried forever, which
 * would hold every later alert behind it.
 */
import type { LookupFunction } from 'node:net';
import type { Log } from '../log.ts';
import type { DeliveryMetrics } from './metrics.ts';
import type { Outbox, OutboxEntry } from './outbox.ts';
import { type BackoffPolicy, backoffMs } from './policy.ts';
import type { SinkRequest } from './sinks/sink.ts';
import { type Outcome, send } from './transport.ts';

export interface WorkerOptions {
  sink: string;
  render: (entry: OutboxEntry) => SinkRequest;
  timeoutMs: number;
  /** PEM CAs for an https sink (from caFile). */
  ca?: string;
  outbox: Outbox;
  lookup: LookupFunction;
  retry: BackoffPolicy;
  maxAgeMs: number;
  metrics: DeliveryMetrics;
  log: Log;
  /**
   * Re-send the alerts this sink last saw firing at this interval while nothing else is pending
   * (Alertmanager resolves an alert that is not re-sent within its resolve_timeout).
   */
  resendMs?: number;
  /** Called after every ack or drop (drain() listens). */
  onProgress: () => void;
  now?: () => number;
  /** Replaces the HTTP attempt (benchmarks); defaults to transport.send. */
  sendFn?: typeof send;
}

export class SinkWorker {
  private readonly o: WorkerOptions;
  private readonly stop = new AbortController();
  private wakeUp: (() => void) | undefined;
  private interrupt: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private attempt = 0;
  /** key → the firing alert this sink acked last for it (resolved removes it). */
  private readonly firing = new Map<string, OutboxEntry['alert']>();
  private lastResend: number;

  constructor(opts: WorkerOptions) {
    this.o = opts;
    // Rebuild what the sink believes is firing from the entries the outbox still holds.
    for (const e of opts.outbox.all()) if (e.done.get(opts.sink) === 'ack') this.track(e.alert);
    this.lastResend = (opts.now ?? Date.now)();
  }

  private track(alert: OutboxEntry['alert']): void {
    if (this.o.resendMs === undefined) return;
    if (alert.status === 'firing') this.firing.set(alert.key, alert);
    else this.firing.delete(alert.key);
  }

  start(): void {
    this.loop ??= this.run().catch((err) => {
      this.o.log('error', `delivery: worker for sink ${this.o.sink} stopped`, { error: String(err) });
    });
  }

  /** New work arrived, or a retry should happen now rather than after the backoff. */
  wake(): void {
    this.wakeUp?.();
  }

  /** End any wait now, a backoff included (flush). */
  retryNow(): void {
    this.interrupt?.();
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { outbox, sink, log } = this.o;
    const now = this.o.now ?? Date.now;
    while (!this.stop.signal.aborted) {
      const entry = outbox.nextFor(sink);
      if (entry === undefined) {
        const resendMs = this.o.resendMs;
        if (resendMs !== undefined && this.firing.size > 0) {
          const due = this.lastResend + resendMs - now();
          if (due <= 0) {
            await this.resendFiring();
            this.lastResend = now();
          } else {
            await this.sleep(due, true);
          }
          continue;
        }
        await this.sleep(Number.POSITIVE_INFINITY, true);
        continue;
      }
      if (now() - Date.parse(entry.alert.createdAt) > this.o.maxAgeMs) {
        log('warn', `delivery: alert too old for sink ${sink}, dropped`, {
          id: entry.alert.id,
          key: entry.alert.key,
        });
        this.o.metrics.suppressed.labels('expired').inc();
        await this.record(() => outbox.drop(entry.alert.id, sink, 'expired'));
        continue;
      }
      let outcome: Outcome;
      try {
        const req = this.o.render(entry);
        outcome = await (this.o.sendFn ?? send)(req, {
          lookup: this.o.lookup,
          timeoutMs: this.o.timeoutMs,
          signal: this.stop.signal,
          ...(this.o.ca !== undefined ? { ca: this.o.ca } : {}),
        });
      } catch (err) {
        outcome = { kind: 'reject', status: 0, error: `cannot render: ${String(err)}` };
      }
      if (outcome.kind === 'ok') {
        this.attempt = 0;
        // Count before the fsync: the receiver has it now, even if we die before the ack is durable.
        this.o.metrics.sent.labels(sink).inc();
        this.track(entry.alert);
        await this.record(() => outbox.ack(entry.alert.id, sink));
        continue;
      }
      if (this.stop.signal.aborted) break;
      this.o.metrics.failures.labels(sink).inc();
      if (outcome.kind === 'reject') {
        log('error', `delivery: sink ${sink} refused an alert; dropped (fix the sink config)`, {
          id: entry.alert.id,
          error: outcome.error,
        });
        this.o.metrics.suppressed.labels('rejected').inc();
        await this.record(() => outbox.drop(entry.alert.id, sink, 'rejected'));
        continue;
      }
      this.attempt++;
      const wait = Math.min(
        this.o.retry.max,
        Math.max(backoffMs(this.o.retry, this.attempt), outcome.retryAfterMs ?? 0),
      );
      log(this.attempt === 1 ? 'warn' : 'debug', `delivery: sink ${sink} failed, retrying`, {
        id: entry.alert.id,
        error: outcome.error,
        attempt: this.attempt,
        retryInMs: wait,
      });
      await this.sleep(wait, false);
    }
  }

  /**
   * Best effort, not journaled: the alert was delivered once already. Runs inside the loop, so a
   * resolved alert can never overtake a re-sent firing one; new work interrupts the pass.
   */
  private async resendFiring(): Promise<void> {
    for (const alert of [...this.firing.values()]) {
      if (this.stop.signal.aborted || this.o.outbox.nextFor(this.o.sink) !== undefined) return;
      const outcome = await (this.o.sendFn ?? send)(this.o.render({ alert } as OutboxEntry), {
        lookup: this.o.lookup,
        timeoutMs: this.o.timeoutMs,
        signal: this.stop.signal,
        ...(this.o.ca !== undefined ? { ca: this.o.ca } : {}),
      });
      if (outcome.kind !== 'ok') {
        this.o.log('debug', `delivery: re-sending firing alerts to ${this.o.sink} failed`, {
          error: outcome.error,
        });
        return;
      }
    }
  }

  /** Write an ack/drop. If the journal cannot be written, the alert stays pending (sent again later). */
  private async record(write: () => Promise<void>): Promise<void> {
    try {
      await write();
      this.o.onProgress();
    } catch (err) {
      this.o.log('error', `delivery: cannot record progress for sink ${this.o.sink} in the outbox`, {
        error: String(err),
      });
      await this.sleep(this.o.retry.initial, false);
    }
  }

  /** Idle sleeps end on new work; backoff sleeps only on close, so a burst of alerts cannot defeat them. */
  private sleep(ms: number, wakeOnWork: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.stop.signal.aborted) return resolve();
      let t: NodeJS.Timeout | undefined;
      const finish = () => {
        if (t) clearTimeout(t);
        this.wakeUp = undefined;
        this.interrupt = undefined;
        this.stop.signal.removeEventListener('abort', finish);
        resolve();
      };
      if (Number.isFinite(ms)) t = setTimeout(finish, ms);
      this.stop.signal.addEventListener('abort', finish);
      this.interrupt = finish;
      if (wakeOnWork) this.wakeUp = finish;
    });
  }
}
