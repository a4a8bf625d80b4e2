import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Gauge } from 'prom-client';
import { z } from 'zod';
import { defineProbe } from '../../../src/agent/probe.ts';
import { sample, testEnv } from './env.ts';

// A probe that reports whatever targets it is told, and never removes a series itself.
function toyProbe(seen: { targets: string[]; fail?: boolean }) {
  return defineProbe({
    name: 'toy',
    configSchema: z.strictObject({}),
    create(_cfg, env) {
      const up = new Gauge({ name: 'toy_up', help: 'h', labelNames: ['target'], registers: [env.registry] });
      const total = new Counter({
        name: 'toy_runs_total',
        help: 'h',
        labelNames: ['target'],
        registers: [env.registry],
      });
      const info = new Gauge({ name: 'toy_info', help: 'h', registers: [env.registry] });
      return {
        async run() {
          info.set(1);
          for (const t of seen.targets) {
            up.labels(t).set(1);
            total.inc({ target: t });
          }
          if (seen.fail) throw new Error('boom');
          return { ok: true, reason: 'ok', message: '', targets: [] };
        },
      };
    },
  });
}

describe('the framework owns series lifecycles', () => {
  it('a labelled gauge keeps only what the last run set; counters and unlabelled gauges stay', async () => {
    const seen = { targets: ['a', 'b'], fail: false };
    const env = testEnv();
    const probe = toyProbe(seen).create({}, env);
    await probe.run(AbortSignal.timeout(1000));
    let m = await env.metrics();
    assert.equal(sample(m, 'toy_up', { target: 'b' }), 1);
    seen.targets = ['a'];
    await probe.run(AbortSignal.timeout(1000));
    m = await env.metrics();
    assert.equal(sample(m, 'toy_up', { target: 'a' }), 1);
    assert.equal(sample(m, 'toy_up', { target: 'b' }), undefined);
    assert.equal(sample(m, 'toy_runs_total', { target: 'b' }), 1);
    assert.equal(sample(m, 'toy_info'), 1);
    // A run that throws still gets its sweep: it reported nothing after all.
    seen.targets = [];
    seen.fail = true;
    await assert.rejects(probe.run(AbortSignal.timeout(1000)), /boom/);
    m = await env.metrics();
    assert.equal(sample(m, 'toy_up', { target: 'a' }), undefined);
  });
});
