/** Verdict logic on hand-made observations: each expectation passes and fails where it should. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DrillPlan,
  emptyObservations,
  type Observations,
  type Prediction,
} from '../../src/drill/model.ts';
import { renderMarkdown } from '../../src/drill/reporters/markdown.ts';
import { renderVerdictText } from '../../src/drill/reporters/text.ts';
import { judge } from '../../src/drill/verdict.ts';

const pred = (p: Partial<Prediction> & Pick<Prediction, 'id' | 'kind' | 'expect'>): Prediction => ({
  subject: p.id,
  because: 'test',
  caveats: [],
  ...p,
});

function plan(predictions: Prediction[], durationSeconds = 10): DrillPlan {
  return {
    scenario: 'nfs-blackhole',
    summary: 's',
    target: { ip: '10.0.0.5', family: 4, port: 2049, given: '10.0.0.5:2049' },
    durationSeconds,
    table: 'faultline_drill',
    elements: [],
    mounts: [],
    resolvers: [],
    workloads: [],
    predictions,
    freeze: undefined,
    refusals: [],
    notes: [],
  };
}

function obs(o: Partial<Observations>): Observations {
  return { ...emptyObservations(10), injectedAt: 'x', expiredAfterSeconds: 10.2, ...o };
}

const series = <T>(from: number, to: number, f: (t: number) => T) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ t: from + i, value: f(from + i) }));

describe('drill verdict', () => {
  it('blocks: hung through the fault passes; an early error fails', () => {
    const p = plan([pred({ id: 'mount:/m', kind: 'mount', expect: 'blocks', path: '/m' })]);
    const hung = obs({
      mounts: {
        '/m': series(-1, 13, (t) =>
          t >= 0 && t < 11 ? { state: 'hung', detail: 'stuck' } : { state: 'ok', detail: 'ok' },
        ),
      },
    });
    const v = judge(p, hung);
    assert.equal(v.items[0]!.status, 'pass');
    assert.match(v.items[0]!.observed, /hung from 0\.0 s .* back 0\.8 s after the fault ended/);
    const err = obs({
      mounts: {
        '/m': series(0, 12, (t) =>
          t === 3 ? { state: 'error', detail: 'EIO after 3.0 s' } : { state: 'hung', detail: '' },
        ),
      },
    });
    assert.equal(judge(p, err).items[0]!.status, 'fail');
  });

  it('errors within N s: an error in time passes, a late one or none fails', () => {
    const p = plan(
      [pred({ id: 'mount:/m', kind: 'mount', expect: 'errors', withinSeconds: 4, path: '/m' })],
      20,
    );
    const at = (t0: number) =>
      obs({
        durationSeconds: 20,
        expiredAfterSeconds: 20.1,
        mounts: {
          '/m': series(0, 19, (t) =>
            t >= t0 ? { state: 'error', detail: 'EIO' } : { state: 'hung', detail: '' },
          ),
        },
      });
    assert.equal(judge(p, at(5)).items[0]!.status, 'pass');
    assert.equal(judge(p, at(9)).items[0]!.status, 'fail');
  });

  it('servers and resolvers: unanswered must fail every probe during the fault; a stall must stay connected', () => {
    const stall = pred({
      id: 'server:x',
      kind: 'server',
      subject: '10.0.0.5:2049',
      expect: 'unanswered',
      because: 'TCP still connects, …',
    });
    const p = plan([stall]);
    const o = (state: string) =>
      obs({ servers: { '10.0.0.5:2049': series(0, 9, () => ({ state, ms: 800 })) } });
    assert.equal(judge(p, o('rpc_timeout (TCP connected)')).items[0]!.status, 'pass');
    assert.equal(judge(p, o('unreachable')).items[0]!.status, 'fail');
    assert.equal(judge(p, o('ok')).items[0]!.status, 'fail');
  });

  it('agent: a check changing state inside interval + timeout passes; silence fails; no metrics is unobserved', () => {
    const p = plan([pred({ id: 'agent', kind: 'agent', expect: 'alerts', withinSeconds: 4 })]);
    const agent = (failAt: number | undefined) =>
      obs({
        agent: {
          url: 'u',
          samples: series(-1, 9, (t) => ({
            up: true,
            alertsSent: failAt !== undefined && t >= failAt + 1 ? 1 : 0,
            failing: failAt !== undefined && t >= failAt ? ['nfs:10.0.0.5:2049 degraded'] : [],
          })),
        },
      });
    const ok = judge(p, agent(3)).items[0]!;
    assert.equal(ok.status, 'pass');
    assert.match(ok.observed, /nfs:10\.0\.0\.5:2049 degraded at 3\.0 s; alerts sent \+1 at 4\.0 s/);
    assert.equal(judge(p, agent(undefined)).items[0]!.status, 'fail');
    assert.equal(judge(p, obs({})).items[0]!.status, 'unobserved');
  });

  it('the whole verdict fails when the fault was not seen expiring', () => {
    const p = plan([pred({ id: 'node', kind: 'node', expect: 'unaffected' })]);
    const node = series(0, 9, () => ({ connectMs: 1, connect: 'connected', forkExecMs: 3 }));
    assert.equal(judge(p, obs({ node })).pass, true);
    const v = judge(p, obs({ node, expiredAfterSeconds: undefined }));
    assert.equal(v.pass, false);
    assert.equal(v.selfExpired, false);
    const report = {
      version: 1 as const,
      kind: 'faultline-drill' as const,
      plan: p,
      observations: obs({ node, expiredAfterSeconds: undefined }),
      verdict: v,
    };
    assert.match(renderVerdictText(report), /NOT seen expiring — run `faultline drill stop`/);
    assert.match(renderMarkdown(report), /\*\*Verdict: FAIL\*\*/);
  });
});
