import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { alertName } from '../../../../src/agent/delivery/sinks/alertmanager.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { startAlertmanager } from '../alertmanager-process.ts';
import { deliveryFor, fixtureClock, NFS_ALERT, removeTempDirs, sendThrough } from '../harness.ts';
import { startReceiver } from '../receiver.ts';

after(removeTempDirs);

describe('alertmanager sink', () => {
  it('POSTs a postableAlert list to <url>/api/v2/alerts (route prefix kept)', async () => {
    const { received } = await sendThrough(
      (url) => [
        {
          type: 'alertmanager',
          name: 'am',
          url: `${url}/alertmanager`,
          labels: { cluster: 'prod-eu', severity: 'ignored-because-the-alert-wins' },
          generatorURL: 'http://worker-3:9464/metrics',
        },
      ],
      [NFS_ALERT, { ...NFS_ALERT, id: 'r-1', status: 'resolved', createdAt: '2026-11-25T16:52:00.000Z' }],
    );
    const [firing, resolved] = received;
    assert.equal(firing?.path, '/alertmanager/api/v2/alerts');
    assert.equal(firing.headers['content-type'], 'application/json');
    const labels = {
      cluster: 'prod-eu',
      alertname: 'FaultlineNfsServer',
      severity: 'critical',
      node: 'worker-3',
      check: 'nfs-server:10.0.0.5:2049',
      kind: 'transition',
    };
    const annotations = {
      summary: 'NFS server 10.0.0.5:2049 accepts TCP but does not answer RPC',
      description:
        'RPC NULL (program 100003 v4) got no reply within 2 s, 3 times in a row. Pods with hard NFS mounts from it will hang.',
      faultline_alert_id: '01JDQ4Z7K3N5V2M8X9A1B2C3D4',
      faultline_key: 'nfs-server:10.0.0.5:2049',
      evidence:
        '{"reason":"rpc_timeout","rpcNullMs":null,"tcpConnectMs":0.4,"consecutive":3,"previous":"degraded"}',
    };
    const ended = (severity: string) => ({
      labels: { ...labels, severity },
      annotations,
      startsAt: '2026-11-25T16:40:12.345Z',
      endsAt: '2026-11-25T16:40:12.345Z',
      generatorURL: 'http://worker-3:9464/metrics',
    });
    // The firing alert, and the same check at every other severity resolved.
    assert.deepEqual(JSON.parse(firing.body), [
      {
        labels,
        annotations,
        startsAt: '2026-11-25T16:40:12.345Z',
        generatorURL: 'http://worker-3:9464/metrics',
      },
      ended('warning'),
      ended('info'),
    ]);
    const r = JSON.parse(resolved!.body) as Array<{
      labels: Record<string, string>;
      startsAt: string;
      endsAt: string;
    }>;
    assert.deepEqual(
      r.map((a) => [a.labels.severity, a.startsAt, a.endsAt]),
      [
        ['critical', '2026-11-25T16:52:00.000Z', '2026-11-25T16:52:00.000Z'],
        ['warning', '2026-11-25T16:52:00.000Z', '2026-11-25T16:52:00.000Z'],
        ['info', '2026-11-25T16:52:00.000Z', '2026-11-25T16:52:00.000Z'],
      ],
      'a resolved alert ends the check at every severity, whichever one was firing',
    );
    assert.deepEqual({ ...r[0]!.labels, severity: 'critical' }, labels);
  });

  it('names alerts from the check family or the alert kind', () => {
    assert.equal(alertName({ ...NFS_ALERT, check: 'mount:/var/lib/loki' }), 'FaultlineMount');
    assert.equal(alertName({ ...NFS_ALERT, check: 'dns:10.43.0.10:53' }), 'FaultlineDns');
    assert.equal(alertName({ ...NFS_ALERT, kind: 'node-at-risk', check: 'node' }), 'FaultlineNodeAtRisk');
    assert.equal(alertName({ ...NFS_ALERT, kind: 'previous-boot', check: 'node' }), 'FaultlinePreviousBoot');
  });

  it('a real prometheus-alertmanager accepts the alert, then resolves it', async () => {
    const am = await startAlertmanager();
    const { d } = await deliveryFor({
      sinks: [{ type: 'alertmanager', name: 'am', url: am.url, labels: { cluster: 'lab' } }],
    });
    try {
      const firing = { ...NFS_ALERT, createdAt: new Date(Date.now() - 60_000).toISOString() };
      await d.enqueue(firing);
      await d.drain(10_000);
      const active = (await am.alerts()).filter((a) => a.labels.alertname === 'FaultlineNfsServer');
      assert.equal(active.length, 1, JSON.stringify(active));
      assert.deepEqual(active[0]!.labels, {
        alertname: 'FaultlineNfsServer',
        check: 'nfs-server:10.0.0.5:2049',
        cluster: 'lab',
        kind: 'transition',
        node: 'worker-3',
        severity: 'critical',
      });
      assert.equal(active[0]!.annotations.faultline_alert_id, NFS_ALERT.id);
      assert.equal(active[0]!.status.state, 'active');
      assert.equal(Date.parse(active[0]!.startsAt), Date.parse(firing.createdAt));

      await d.enqueue({
        ...NFS_ALERT,
        id: 'resolved-now',
        status: 'resolved',
        createdAt: new Date().toISOString(),
      });
      await d.drain(10_000);
      // Resolved alerts leave the default /api/v2/alerts listing (it shows active ones).
      const still = (await am.alerts()).filter((a) => a.labels.alertname === 'FaultlineNfsServer');
      assert.deepEqual(still, []);
    } finally {
      await d.close();
      await am.stop();
    }
  });

  it('re-posts a firing alert every resendInterval until it is resolved', async () => {
    const rx = await startReceiver();
    const { d } = await deliveryFor(
      {
        sinks: [{ type: 'alertmanager', name: 'am', url: rx.url, resendInterval: '100ms' }],
      },
      { now: fixtureClock() },
    );
    try {
      await d.enqueue(NFS_ALERT);
      await rx.waitFor(3, 10_000);
      const states = () => rx.received.map((r) => (JSON.parse(r.body)[0].endsAt ? 'resolved' : 'firing'));
      assert.deepEqual(states(), ['firing', 'firing', 'firing']);
      await d.enqueue({ ...NFS_ALERT, id: 'r-2', status: 'resolved', createdAt: '2026-11-25T16:41:00.000Z' });
      await d.drain(10_000);
      const afterResolved = rx.received.length;
      await new Promise((r) => setTimeout(r, 500)); // five resend intervals
      assert.equal(rx.received.length, afterResolved, 'nothing re-sent once resolved');
      assert.equal(states().at(-1), 'resolved');
    } finally {
      await d.close();
      await rx.stop();
    }
  });

  it('a real Alertmanager keeps a re-sent alert active past its resolve_timeout, and ends one that is not', async () => {
    const am = await startAlertmanager('1s');
    const { d } = await deliveryFor({
      sinks: [
        {
          type: 'alertmanager',
          name: 'resent',
          url: am.url,
          resendInterval: '250ms',
          labels: { via: 'resent' },
        },
        { type: 'alertmanager', name: 'once', url: am.url, resendInterval: '1h', labels: { via: 'once' } },
      ],
    });
    try {
      await d.enqueue({ ...NFS_ALERT, createdAt: new Date().toISOString() });
      await d.drain(10_000);
      // Wait (polling, not sleeping a fixed time) until the alert sent once has passed its resolve_timeout;
      // by then the re-sent one must still be active.
      const active = await eventually('the alert sent once to end', async () => {
        const via = (await am.alerts()).map((a) => a.labels.via);
        return via.includes('once') ? undefined : via;
      });
      assert.deepEqual(active, ['resent']);
    } finally {
      await d.close();
      await am.stop();
    }
  });

  it('a real Alertmanager follows degraded → failed → recovered (warning, critical, resolved as info)', async () => {
    const am = await startAlertmanager();
    const { d } = await deliveryFor({ sinks: [{ type: 'alertmanager', name: 'am', url: am.url }] });
    const activeSeverities = async () =>
      (await am.alerts())
        .filter((a) => a.labels.check === 'mount:/var/lib/loki')
        .map((a) => a.labels.severity);
    const base = { ...NFS_ALERT, key: 'mount:/var/lib/loki', check: 'mount:/var/lib/loki' };
    const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000).toISOString();
    try {
      await d.enqueue({ ...base, id: 'm-1', severity: 'warning', createdAt: at(0) });
      await d.drain(10_000);
      assert.deepEqual(await activeSeverities(), ['warning']);
      await d.enqueue({ ...base, id: 'm-2', severity: 'critical', createdAt: at(10) });
      await d.drain(10_000);
      assert.deepEqual(await activeSeverities(), ['critical'], 'the warning one ended when it escalated');
      await d.enqueue({ ...base, id: 'm-3', severity: 'info', status: 'resolved', createdAt: at(20) });
      await d.drain(10_000);
      assert.deepEqual(await activeSeverities(), [], 'an info-level recovery still ends the critical alert');
    } finally {
      await d.close();
      await am.stop();
    }
  });
});
