/** Delivery metrics. Gauges are computed at scrape time from the outbox, so they cannot drift. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LoadReport } from './outbox.ts';

interface OutboxView {
  pendingCount(): number;
  oldestPendingAt(): number | undefined;
  memoryOnlyCount?(): number;
  readonly droppedMemoryOnly?: number;
  readonly loadReport?: LoadReport;
}

export interface DeliveryMetrics {
  sent: Counter<'sink'>;
  failures: Counter<'sink'>;
  suppressed: Counter<'reason'>;
}

export function registerDeliveryMetrics(
  registry: Registry,
  sinks: string[],
  outbox: OutboxView,
  now: () => number = Date.now,
): DeliveryMetrics {
  const registers = [registry];
  new Gauge({
    name: 'faultline_alert_outbox_memory_only',
    help: 'Alerts held in memory only because the state directory refuses writes (still sent; lost on a crash).',
    registers,
    collect() {
      this.set(outbox.memoryOnlyCount?.() ?? 0);
    },
  });
  new Gauge({
    name: 'faultline_alert_outbox_load_skipped',
    help: 'Outbox journal records left out at start, by reason: unreadable, too_long, over_limit (maxEntries), moved_aside (not a file).',
    labelNames: ['reason'],
    registers,
    collect() {
      const r = outbox.loadReport;
      this.set({ reason: 'unreadable' }, r?.unreadable ?? 0);
      this.set({ reason: 'too_long' }, r?.tooLong ?? 0);
      this.set({ reason: 'over_limit' }, r?.overLimit ?? 0);
      this.set({ reason: 'moved_aside' }, r?.movedAside === undefined ? 0 : 1);
    },
  });
  new Gauge({
    name: 'faultline_alert_outbox_pending',
    help: 'Alerts in the durable outbox not yet delivered to (or given up by) every sink.',
    registers,
    collect() {
      this.set(outbox.pendingCount());
    },
  });
  new Gauge({
    name: 'faultline_alert_outbox_oldest_age_seconds',
    help: 'Age of the oldest undelivered alert in the outbox; 0 when the outbox is empty.',
    registers,
    collect() {
      const at = outbox.oldestPendingAt();
      this.set(at === undefined ? 0 : Math.max(0, (now() - at) / 1000));
    },
  });
  const sent = new Counter({
    name: 'faultline_alerts_sent_total',
    help: 'Alerts a sink accepted (answered 2xx).',
    labelNames: ['sink'],
    registers,
  });
  const failures = new Counter({
    name: 'faultline_alert_delivery_failures_total',
    help: 'Failed delivery attempts per sink (network error, timeout, non-2xx answer).',
    labelNames: ['sink'],
    registers,
  });
  let countedMemoryDrops = 0;
  const suppressed = new Counter({
    name: 'faultline_alerts_suppressed_total',
    help: 'Alerts not sent on purpose: duplicate, rate_limited, expired, overflow, rejected, memory_full (held in memory while the disk failed, beyond the bound).',
    labelNames: ['reason'],
    registers,
    // memory_full is the outbox's own count, brought in at scrape time like the gauges above.
    collect() {
      const n = outbox.droppedMemoryOnly ?? 0;
      if (n > countedMemoryDrops) this.inc({ reason: 'memory_full' }, n - countedMemoryDrops);
      countedMemoryDrops = n;
    },
  });

  // Series exist from the start, so a rate() over them works before the first alert.
  for (const s of sinks) {
    sent.labels(s).inc(0);
    failures.labels(s).inc(0);
  }
  for (const r of ['duplicate', 'rate_limited', 'expired', 'overflow', 'rejected', 'memory_full'])
    suppressed.labels(r).inc(0);
  return { sent, failures, suppressed };
}
