/** Delivery metrics. Gauges are computed at scrape time from the outbox, so they cannot drift. */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface DeliveryMetrics {
  sent: Counter<'sink'>;
  failures: Counter<'sink'>;
  suppressed: Counter<'reason'>;
}

export function registerDeliveryMetrics(
  registry: Registry,
  sinks: string[],
  outbox: { pendingCount(): number; oldestPendingAt(): number | undefined },
  now: () => number = Date.now,
): DeliveryMetrics {
  const registers = [registry];
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
  const suppressed = new Counter({
    name: 'faultline_alerts_suppressed_total',
    help: 'Alerts not sent on purpose: duplicate, rate_limited, expired, overflow, rejected.',
    labelNames: ['reason'],
    registers,
  });
  // Series exist from the start, so a rate() over them works before the first alert.
  for (const s of sinks) {
    sent.labels(s).inc(0);
    failures.labels(s).inc(0);
  }
  for (const r of ['duplicate', 'rate_limited', 'expired', 'overflow', 'rejected'])
    suppressed.labels(r).inc(0);
  return { sent, failures, suppressed };
}
