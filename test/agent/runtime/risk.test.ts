import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Gauge, Registry } from 'prom-client';
import { RiskEvaluator, sampleFromRegistry } from '../../../src/agent/runtime/risk.ts';

const OPTS = { enabled: true, ioPressureSomeAvg10: 40, dstateGrowthScans: 3, minSignals: 2 };

describe('node at risk', () => {
  it('one signal alone is not a freeze warning', () => {
    const r = new RiskEvaluator(OPTS, new Registry());
    const { verdict, alert } = r.observe({ hungMounts: ['/mnt/nfs'] }, 'n1');
    assert.deepEqual(verdict.signals, ['hung-mounts']);
    assert.equal(verdict.atRisk, false);
    assert.equal(alert, undefined);
  });

  it('a hung mount plus D-state growing over three scans fires one critical alert naming both', async () => {
    const registry = new Registry();
    const r = new RiskEvaluator(OPTS, registry);
    assert.equal(r.observe({ hungMounts: ['/mnt/nfs'], dstate: 1 }, 'n1').alert, undefined);
    assert.equal(r.observe({ hungMounts: ['/mnt/nfs'], dstate: 4 }, 'n1').alert, undefined);
    const third = r.observe({ hungMounts: ['/mnt/nfs'], dstate: 9 }, 'n1');
    assert.equal(third.verdict.atRisk, true);
    const a = third.alert!;
    assert.equal(a.kind, 'node-at-risk');
    assert.equal(a.severity, 'critical');
    assert.equal(a.status, 'firing');
    assert.deepEqual(a.evidence.signals, ['hung-mounts', 'dstate-growing']);
    assert.deepEqual(a.evidence.dstateHistory, [1, 4, 9]);
    assert.deepEqual(a.evidence.hungMounts, ['/mnt/nfs']);
    assert.match(a.title, /mounts not answering \+ processes piling up in D state/);
    // Still at risk: no second alert.
    assert.equal(r.observe({ hungMounts: ['/mnt/nfs'], dstate: 12 }, 'n1').alert, undefined);
    assert.match(await registry.metrics(), /faultline_node_at_risk 1/);
  });

  it('flat D-state counts are not growth', () => {
    const r = new RiskEvaluator(OPTS, new Registry());
    for (const d of [5, 5, 5]) r.observe({ dstate: d, ioSomeAvg10: 0.9 }, 'n1');
    assert.deepEqual(r.verdict().signals, ['io-pressure']);
    assert.equal(r.verdict().atRisk, false);
  });

  it('hung-task reports and IO pressure together fire; clearing needs two clear evaluations', () => {
    const r = new RiskEvaluator(OPTS, new Registry());
    r.observe({ hungTaskReports: 0, ioSomeAvg10: 0.1 }, 'n1');
    const fired = r.observe({ hungTaskReports: 1, ioSomeAvg10: 0.55 }, 'n1');
    assert.equal(fired.alert?.status, 'firing');
    assert.deepEqual(fired.verdict.signals, ['hung-task-reports', 'io-pressure']);
    assert.equal(fired.verdict.evidence.ioPressureSomeAvg10Percent, 55);
    assert.equal(
      r.observe({ ioSomeAvg10: 0.01 }, 'n1').alert,
      undefined,
      'one clear evaluation is not enough',
    );
    // The hung-task signal holds for ten minutes: the evaluator with a clock moved on clears.
    let now = Date.now();
    const r2 = new RiskEvaluator(OPTS, new Registry(), () => now);
    r2.observe({ hungTaskReports: 0 }, 'n1');
    r2.observe({ hungTaskReports: 2, ioSomeAvg10: 0.9 }, 'n1');
    assert.equal(r2.verdict().atRisk, true);
    now += 601_000;
    r2.observe({ ioSomeAvg10: 0.0 }, 'n1');
    const cleared = r2.observe({ ioSomeAvg10: 0.0 }, 'n1');
    assert.equal(cleared.alert?.status, 'resolved');
    assert.equal(cleared.alert?.kind, 'node-at-risk');
  });

  it('resumes at risk after a restart and resolves when the signals stay clear', () => {
    const r = new RiskEvaluator(OPTS, new Registry());
    r.restore(true);
    assert.equal(r.observe({ hungMounts: [] }, 'n1').alert, undefined);
    const cleared = r.observe({ hungMounts: [] }, 'n1');
    assert.equal(cleared.alert?.status, 'resolved');
  });

  it('stays at risk until the signals have been clear for clearAfterMs', () => {
    let now = 1_000_000;
    const r = new RiskEvaluator({ ...OPTS, clearAfterMs: 10_000 }, new Registry(), () => now);
    r.observe({ hungTaskReports: 0 }, 'n1');
    assert.equal(r.observe({ hungTaskReports: 1, hungMounts: ['/a'] }, 'n1').alert?.status, 'firing');
    now += 601_000; // the hung-task report has aged out
    for (let i = 0; i < 5; i++) assert.equal(r.observe({ hungMounts: [] }, 'n1').alert, undefined);
    now += 5_000;
    // A signal pair again before the window passed: still the same episode, no new alert.
    r.observe({ hungTaskReports: 2 }, 'n1');
    assert.equal(r.observe({ hungMounts: ['/a'] }, 'n1').alert, undefined);
    now += 601_000;
    assert.equal(r.observe({ hungMounts: [] }, 'n1').alert, undefined);
    now += 10_000;
    assert.equal(r.observe({ hungMounts: [] }, 'n1').alert?.status, 'resolved');
  });

  it('disabled never fires', () => {
    const r = new RiskEvaluator({ ...OPTS, enabled: false }, new Registry());
    r.observe({ hungTaskReports: 0 }, 'n1');
    assert.equal(
      r.observe({ hungMounts: ['/a'], hungTaskReports: 3, ioSomeAvg10: 1 }, 'n1').verdict.atRisk,
      false,
    );
  });

  it("reads its signals from the probes' metrics (the shared metric names)", async () => {
    const registry = new Registry();
    const responsive = new Gauge({
      name: 'faultline_mount_responsive',
      help: 'h',
      labelNames: ['mountpoint', 'fstype'],
      registers: [registry],
    });
    const stuck = new Gauge({
      name: 'faultline_mount_probe_stuck',
      help: 'h',
      labelNames: ['mountpoint'],
      registers: [registry],
    });
    const dstate = new Gauge({
      name: 'faultline_dstate_processes',
      help: 'h',
      labelNames: ['subsystem'],
      registers: [registry],
    });
    const hung = new Counter({
      name: 'faultline_kernel_hung_task_reports_total',
      help: 'h',
      registers: [registry],
    });
    const psi = new Gauge({
      name: 'faultline_pressure_io_stalled_ratio',
      help: 'h',
      labelNames: ['kind', 'window'],
      registers: [registry],
    });
    responsive.set({ mountpoint: '/mnt/a', fstype: 'nfs4' }, 0);
    responsive.set({ mountpoint: '/mnt/b', fstype: 'fuse.bindfs' }, 1);
    stuck.set({ mountpoint: '/mnt/c' }, 2);
    dstate.set({ subsystem: 'nfs' }, 3);
    dstate.set({ subsystem: 'fuse' }, 4);
    dstate.set({ subsystem: 'block' }, 5);
    dstate.set({ subsystem: 'other' }, 2);
    hung.inc(2);
    psi.set({ kind: 'some', window: 'avg10' }, 0.42);
    psi.set({ kind: 'full', window: 'avg10' }, 0.3);
    assert.deepEqual(await sampleFromRegistry(registry, true), {
      hungMounts: ['/mnt/a', '/mnt/c'],
      dstate: 7,
      hungTaskReports: 2,
      ioSomeAvg10: 0.42,
    });
    assert.equal((await sampleFromRegistry(registry, false)).dstate, undefined);
    assert.deepEqual(await sampleFromRegistry(new Registry(), true), {});
  });
});
