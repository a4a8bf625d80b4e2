import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import type { Alert } from '../../../src/agent/delivery/alert.ts';
import { requireExecutable } from '../../helpers/lab.ts';
import { freePort } from '../../helpers/ports.ts';
import { alert, captureLog, deliveryFor, removeTempDirs, tempStateDir, withHook } from './harness.ts';
import { startReceiver } from './receiver.ts';

const FAST_RETRY = { initial: '10ms', max: '50ms', factor: 2, jitter: 0.1 };

function metric(text: string, line: RegExp): number {
  const m = text.split('\n').find((l) => line.test(l));
  assert.ok(m, `no metric line matching ${line}`);
  return Number(m.split(' ').at(-1));
}

const ids = (rx: { received: { headers: Record<string, unknown> }[] }) =>
  rx.received.map((r) => r.headers['x-faultline-alert-id']);

const boot = (run: number) =>
  alert(run, { id: `previous-boot-${run}`, key: 'previous-boot', check: 'node', kind: 'previous-boot' });

/** Dedupe, rate limit and age: which alerts reach the sink, and how the others are counted. */
const POLICY_CASES: {
  name: string;
  config: Record<string, unknown>;
  alerts: () => Alert[];
  sent: string[];
  suppressed: Record<string, number>;
  /** Outcome recorded in the outbox for the hook sink, by alert id. */
  done?: Record<string, string>;
}[] = [
  {
    name: 'dedupes a repeated state within the window; a change of status or severity passes',
    config: {},
    alerts: () => {
      const k = { key: 'mount:/data', check: 'mount:/data' };
      return [
        alert(1, { ...k, severity: 'warning' }),
        alert(2, { ...k, severity: 'warning' }), // same state again: suppressed
        alert(3, { ...k, severity: 'critical' }), // escalation: sent
        alert(4, { ...k, status: 'resolved', severity: 'critical' }), // resolved: sent
        alert(1, { ...k, severity: 'warning' }), // known id: no-op
      ];
    },
    sent: ['alert-1', 'alert-3', 'alert-4'],
    suppressed: { duplicate: 1 },
  },
  {
    name: 'previous-boot reports are events: never deduped, but rate-limited',
    config: { rateLimit: { perKey: { count: 2, window: '1h' } } },
    alerts: () => [boot(1), boot(2), boot(3)],
    sent: ['previous-boot-1', 'previous-boot-2'],
    suppressed: { duplicate: 0, rate_limited: 1 },
  },
  {
    name: 'rate-limits firing alerts per key; resolved alerts and other keys pass',
    config: { rateLimit: { perKey: { count: 2, window: '1h' } }, dedupeWindow: '1ms' },
    alerts: () => {
      const k = { key: 'mount:/flappy' };
      return [
        alert(1, { ...k, severity: 'warning' }),
        alert(2, { ...k, severity: 'critical' }),
        alert(3, { ...k, severity: 'warning' }), // third firing in the window: limited
        alert(4, { ...k, status: 'resolved' }), // resolved always passes
        alert(5, { key: 'mount:/other' }),
      ];
    },
    sent: ['alert-1', 'alert-2', 'alert-4', 'alert-5'],
    suppressed: { rate_limited: 1 },
  },
  {
    name: 'drops alerts older than outbox.maxAgeSeconds instead of sending stale news',
    config: { outbox: { maxAgeSeconds: 60 } },
    alerts: () => [alert(1, { createdAt: new Date(Date.now() - 120_000).toISOString() }), alert(2)],
    sent: ['alert-2'],
    suppressed: { expired: 1 },
    done: { 'alert-1': 'expired' },
  },
];

describe('delivery behaviour', () => {
  after(removeTempDirs);

  it('retries 5xx with backoff until a 2xx, counting each failed attempt', () =>
    withHook({ retry: FAST_RETRY }, async ({ d, registry, rx }) => {
      let n = 0;
      rx.respond = () => (++n <= 2 ? 503 : 200);
      await d.enqueue(alert(1));
      await d.drain(10_000);
      assert.deepEqual(
        rx.received.map((r) => r.status),
        [503, 503, 200],
      );
      const text = await registry.metrics();
      assert.equal(metric(text, /^faultline_alert_delivery_failures_total\{sink="hook"\}/), 2);
      assert.equal(metric(text, /^faultline_alerts_sent_total\{sink="hook"\}/), 1);
    }));

  it('keeps alerts while the receiver is down and sends them in order once it is back', async () => {
    const port = await freePort();
    const { d, registry } = await deliveryFor({
      sinks: [{ type: 'webhook', name: 'hook', url: `http://127.0.0.1:${port}/` }],
      retry: FAST_RETRY,
    });
    try {
      for (let i = 0; i < 5; i++) await d.enqueue(alert(i));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(d.pending(), 5);
      const text = await registry.metrics();
      assert.equal(metric(text, /^faultline_alert_outbox_pending /), 5);
      assert.ok(metric(text, /^faultline_alert_outbox_oldest_age_seconds /) > 0);
      assert.ok(metric(text, /^faultline_alert_delivery_failures_total\{sink="hook"\}/) >= 1);
      const rx = await startReceiver(port);
      try {
        d.flush();
        await d.drain(10_000);
        assert.deepEqual(
          rx.received.map((r) => r.headers['x-faultline-alert-id']),
          ['alert-0', 'alert-1', 'alert-2', 'alert-3', 'alert-4'],
        );
        assert.equal(metric(await registry.metrics(), /^faultline_alert_outbox_oldest_age_seconds /), 0);
      } finally {
        await rx.stop();
      }
    } finally {
      await d.close();
    }
  });

  it('drops an alert a sink refuses with 4xx (logged, counted) and goes on with the next', async () => {
    const { log, lines } = captureLog();
    await withHook(
      { retry: FAST_RETRY },
      async ({ d, registry, rx }) => {
        rx.respond = (r) => (r.headers['x-faultline-alert-id'] === 'alert-1' ? 400 : 200);
        await d.enqueue(alert(1));
        await d.enqueue(alert(2));
        await d.drain(10_000);
        assert.deepEqual(
          rx.received.map((r) => [r.headers['x-faultline-alert-id'], r.status]),
          [
            ['alert-1', 400],
            ['alert-2', 200],
          ],
        );
        assert.equal(d.outbox.get('alert-1')?.done.get('hook'), 'rejected');
        assert.ok(lines.some((l) => l.level === 'error' && l.msg.includes('refused an alert')));
        const text = await registry.metrics();
        assert.equal(metric(text, /^faultline_alerts_suppressed_total\{reason="rejected"\}/), 1);
      },
      { log },
    );
  });

  for (const c of POLICY_CASES) {
    it(c.name, () =>
      withHook(c.config, async ({ d, registry, rx }) => {
        for (const a of c.alerts()) await d.enqueue(a);
        await d.drain(10_000);
        assert.deepEqual(ids(rx), c.sent);
        for (const [id, outcome] of Object.entries(c.done ?? {}))
          assert.equal(d.outbox.get(id)?.done.get('hook'), outcome);
        const text = await registry.metrics();
        for (const [reason, n] of Object.entries(c.suppressed))
          assert.equal(
            metric(text, new RegExp(`^faultline_alerts_suppressed_total\\{reason="${reason}"\\}`)),
            n,
          );
      }),
    );
  }

  it('dedupe state survives a restart (rebuilt from the outbox)', async () => {
    const rx = await startReceiver();
    const stateDir = tempStateDir();
    const cfg = { sinks: [{ type: 'webhook' as const, name: 'hook', url: rx.url }] };
    try {
      const a = await deliveryFor(cfg, { stateDir });
      await a.d.enqueue(alert(1, { key: 'dns:10.43.0.10:53' }));
      await a.d.drain(10_000);
      await a.d.close();
      const b = await deliveryFor(cfg, { stateDir });
      await b.d.enqueue(alert(2, { key: 'dns:10.43.0.10:53' }));
      await b.d.drain(10_000);
      await b.d.close();
      assert.equal(rx.received.length, 1);
    } finally {
      await rx.stop();
    }
  });

  it('bounds the outbox: past maxEntries the oldest pending alert is dropped', async () => {
    const port = await freePort();
    const { d, registry } = await deliveryFor({
      sinks: [{ type: 'webhook', name: 'hook', url: `http://127.0.0.1:${port}/` }],
      retry: { initial: '1h', max: '1h' },
      outbox: { maxEntries: 2 },
    });
    try {
      for (let i = 1; i <= 3; i++) await d.enqueue(alert(i));
      assert.deepEqual(
        d.outbox.pending().map((e) => e.alert.id),
        ['alert-2', 'alert-3'],
      );
      assert.equal(
        metric(await registry.metrics(), /^faultline_alerts_suppressed_total\{reason="overflow"\}/),
        1,
      );
    } finally {
      await d.close();
    }
  });

  it('close() keeps pending alerts for the next start; a missing node is filled in', async () => {
    const port = await freePort();
    const stateDir = tempStateDir();
    const sinks = [{ type: 'webhook' as const, name: 'hook', url: `http://127.0.0.1:${port}/` }];
    const a = await deliveryFor({ sinks, retry: FAST_RETRY }, { stateDir, node: 'from-env' });
    await a.d.enqueue(alert(1, { node: '' }));
    await a.d.close();
    await assert.rejects(a.d.enqueue(alert(2)), /closed/);
    const rx = await startReceiver(port);
    try {
      const b = await deliveryFor({ sinks, retry: FAST_RETRY }, { stateDir });
      await b.d.drain(10_000);
      await b.d.close();
      assert.equal(rx.received.length, 1);
      assert.equal(JSON.parse(rx.received[0]!.body).node, 'from-env');
    } finally {
      await rx.stop();
    }
  });

  it('one failing sink does not hold back the others', async () => {
    const rx = await startReceiver();
    const dead = await freePort();
    const { d } = await deliveryFor({
      sinks: [
        { type: 'webhook', name: 'dead', url: `http://127.0.0.1:${dead}/` },
        { type: 'webhook', name: 'live', url: rx.url },
      ],
      retry: FAST_RETRY,
    });
    try {
      for (let i = 0; i < 3; i++) await d.enqueue(alert(i));
      await rx.waitFor(3, 10_000);
      // The receiver has all three; the acks follow their 2xx by one fsync.
      while (d.outbox.pendingFor('live').length > 0) await new Promise((r) => setTimeout(r, 10));
      assert.equal(d.pending(), 3, 'still owed to the dead sink');
      assert.equal(d.outbox.pendingFor('dead').length, 3);
    } finally {
      await d.close();
      await rx.stop();
    }
  });

  it('exposes metrics that pass promtool check metrics', async () => {
    const promtool = requireExecutable('promtool', 'prometheus');
    await withHook({}, async ({ d, registry }) => {
      await d.enqueue(alert(1));
      await d.drain(10_000);
      const text = await registry.metrics();
      const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      for (const name of [
        'faultline_alert_outbox_pending',
        'faultline_alert_outbox_oldest_age_seconds',
        'faultline_alerts_sent_total',
        'faultline_alert_delivery_failures_total',
      ]) {
        assert.match(text, new RegExp(`^# HELP ${name} `, 'm'));
      }
    });
  });
});
