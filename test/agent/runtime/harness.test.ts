import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { ProbeInstance, ProbeResult } from '../../../src/agent/probe.ts';
import { Harness, type ProbeOutcome } from '../../../src/agent/runtime/harness.ts';
import { eventually } from '../../helpers/eventually.ts';

const quiet = () => {};

const until = (cond: () => boolean, what: string) => eventually(what, cond, { ms: 10_000, everyMs: 10 });

const okResult: ProbeResult = {
  ok: true,
  reason: 'ok',
  message: 'fine',
  targets: [{ check: 'x:1', ok: true, reason: 'ok', message: 'fine' }],
};

async function metric(registry: Registry, name: string, probe: string): Promise<number | undefined> {
  const m = registry.getSingleMetric(name);
  const values = (await m?.get())?.values ?? [];
  return values.find((v) => v.labels.probe === probe)?.value;
}

describe('probe harness', () => {
  it('records success and duration for a probe that answers', async () => {
    const registry = new Registry();
    const h = new Harness({
      probes: [{ name: 'good', interval: 1000, timeout: 500, instance: { run: async () => okResult } }],
      registry,
      log: quiet,
    });
    const [o] = await h.runOnce();
    assert.equal(o?.result.ok, true);
    assert.equal(o?.overran, false);
    assert.equal(await metric(registry, 'faultline_probe_success', 'good'), 1);
    assert.ok((await metric(registry, 'faultline_probe_duration_seconds', 'good'))! >= 0);
    assert.ok(h.firstRoundDone());
    await h.stop();
  });

  it('turns a throwing probe into a failed result', async () => {
    const registry = new Registry();
    const h = new Harness({
      probes: [
        {
          name: 'boom',
          interval: 1000,
          timeout: 500,
          instance: {
            run: async () => {
              throw new Error('socket exploded');
            },
          },
        },
      ],
      registry,
      log: quiet,
    });
    const [o] = await h.runOnce();
    assert.equal(o?.result.ok, false);
    assert.equal(o?.result.reason, 'error');
    assert.match(o?.result.message ?? '', /socket exploded/);
    assert.equal(await metric(registry, 'faultline_probe_success', 'boom'), 0);
    await h.stop();
  });

  it('aborts the signal at the deadline and fails a probe that ignores it', async () => {
    const registry = new Registry();
    let aborted = false;
    const never: ProbeInstance = {
      run: (signal) => {
        signal.addEventListener('abort', () => {
          aborted = true;
        });
        return new Promise(() => {}); // never settles, like a probe stuck on a dead mount
      },
    };
    const h = new Harness({
      probes: [{ name: 'hung', interval: 10_000, timeout: 50, instance: never }],
      registry,
      log: quiet,
      abortGrace: 20,
    });
    const [o] = await h.runOnce();
    assert.equal(aborted, true);
    assert.equal(o?.overran, true);
    assert.equal(o?.result.reason, 'timeout');
    assert.equal(await metric(registry, 'faultline_probe_success', 'hung'), 0);
    assert.equal(await metric(registry, 'faultline_probe_duration_seconds', 'hung'), 0.05);
    await h.stop(10);
  });

  it('uses the result a probe returns when it honours the abort in time', async () => {
    const registry = new Registry();
    const polite: ProbeInstance = {
      run: (signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () =>
            resolve({
              ok: true,
              reason: 'ok',
              message: '',
              targets: [{ check: 'm:/a', ok: false, reason: 'hung', message: 'no answer' }],
            }),
          );
        }),
    };
    const h = new Harness({
      probes: [{ name: 'p', interval: 10_000, timeout: 30, instance: polite }],
      registry,
      log: quiet,
    });
    const [o] = await h.runOnce();
    assert.equal(o?.overran, false);
    assert.equal(o?.result.targets[0]?.reason, 'hung');
    await h.stop();
  });

  it('never overlaps runs of one probe: a run still going at the next tick is skipped and counted', async () => {
    const registry = new Registry();
    let started = 0;
    let release: (() => void) | undefined;
    const slow: ProbeInstance = {
      run: () => {
        started++;
        return new Promise((resolve) => {
          release = () => resolve(okResult);
        });
      },
    };
    const outcomes: ProbeOutcome[] = [];
    const h = new Harness({
      probes: [{ name: 'slow', interval: 20, timeout: 10, instance: slow }],
      registry,
      log: quiet,
      abortGrace: 5,
      onOutcome: (o) => outcomes.push(o),
    });
    h.start();
    await until(() => outcomes.length >= 1, 'first (overrun) outcome');
    // Polling the counter: the probe is still stuck, so ticks must be skipping, not starting runs.
    let skipped = 0;
    await until(() => {
      void metric(registry, 'faultline_probe_runs_skipped_total', 'slow').then((v) => {
        skipped = v ?? 0;
      });
      return skipped >= 3;
    }, 'three skipped ticks');
    assert.equal(started, 1, 'a second run started while the first had not returned');
    release?.();
    await until(() => started >= 2, 'a new run after the first returned');
    await h.stop(10);
    release?.();
  });

  it('keeps other probes on schedule while one hangs', async () => {
    const registry = new Registry();
    let goodRuns = 0;
    const h = new Harness({
      probes: [
        { name: 'hung', interval: 20, timeout: 10, instance: { run: () => new Promise(() => {}) } },
        {
          name: 'good',
          interval: 20,
          timeout: 10,
          instance: {
            run: async () => {
              goodRuns++;
              return okResult;
            },
          },
        },
      ],
      registry,
      log: quiet,
      abortGrace: 5,
    });
    h.start();
    await until(() => goodRuns >= 5, 'five runs of the healthy probe');
    await until(() => h.firstRoundDone(), 'first round (the hung probe counts once it overran)');
    await h.stop(10);
  });

  it('closes probes on stop', async () => {
    let closed = false;
    const h = new Harness({
      probes: [
        {
          name: 'c',
          interval: 1000,
          timeout: 100,
          instance: {
            run: async () => okResult,
            close: () => {
              closed = true;
            },
          },
        },
      ],
      registry: new Registry(),
      log: quiet,
    });
    await h.runOnce();
    await h.stop();
    assert.equal(closed, true);
  });
});
