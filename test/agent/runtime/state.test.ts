import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { TargetResult } from '../../../src/agent/probe.ts';
import { type Hysteresis, StateTracker, transitionAlert } from '../../../src/agent/runtime/state.ts';

const H: Hysteresis = { degradeAfter: 1, failAfter: 3, recoverAfter: 2 };
const CHECK = 'nfs-server:127.0.0.1:2049';

function result(sev: 'ok' | 'degraded' | 'failed'): TargetResult {
  return {
    check: CHECK,
    ok: sev === 'ok',
    reason: sev === 'ok' ? 'ok' : 'rpc_timeout',
    message: sev === 'ok' ? 'answers' : 'TCP accepts but RPC NULL got no answer',
    severity: sev,
  };
}

/** Feed a sequence; return the state after each step and the transitions seen. */
function run(seq: ('ok' | 'degraded' | 'failed')[], h = H) {
  const registry = new Registry();
  const tracker = new StateTracker({ hysteresis: h, registry, node: 'n1' });
  const states: string[] = [];
  const transitions: string[] = [];
  for (const s of seq) {
    for (const t of tracker.observe([result(s)])) transitions.push(`${t.from}>${t.to}`);
    states.push(tracker.stateOf(CHECK)!);
  }
  return { states, transitions, registry, tracker };
}

describe('check state machine', () => {
  it('goes ok → degraded on the first bad result and → failed after failAfter failed ones', () => {
    const r = run(['ok', 'failed', 'failed', 'failed', 'failed']);
    assert.deepEqual(r.states, ['ok', 'degraded', 'degraded', 'failed', 'failed']);
    assert.deepEqual(r.transitions, ['ok>degraded', 'degraded>failed']);
  });

  it('needs recoverAfter good results to recover, and a bad one resets the count', () => {
    const r = run(['failed', 'failed', 'failed', 'ok', 'failed', 'ok', 'ok']);
    assert.deepEqual(r.states, ['degraded', 'degraded', 'failed', 'failed', 'failed', 'failed', 'ok']);
    assert.deepEqual(r.transitions, ['ok>degraded', 'degraded>failed', 'failed>ok']);
  });

  it('a degraded result never reaches failed; interleaved ok results do not flap', () => {
    const r = run(['degraded', 'degraded', 'degraded', 'ok', 'degraded', 'ok', 'ok']);
    assert.deepEqual(r.states, [
      'degraded',
      'degraded',
      'degraded',
      'degraded',
      'degraded',
      'degraded',
      'ok',
    ]);
    assert.deepEqual(r.transitions, ['ok>degraded', 'degraded>ok']);
  });

  it('steps down from failed to degraded when results improve only that far', () => {
    const r = run(['failed', 'failed', 'failed', 'degraded', 'degraded']);
    assert.deepEqual(r.transitions, ['ok>degraded', 'degraded>failed', 'failed>degraded']);
  });

  it('with degradeAfter 2 one blip raises nothing', () => {
    const r = run(['failed', 'ok', 'failed', 'failed'], { degradeAfter: 2, failAfter: 3, recoverAfter: 2 });
    assert.deepEqual(r.states, ['ok', 'ok', 'ok', 'degraded']);
  });

  it('exports faultline_check_state with 1 for the current state only', async () => {
    const { registry } = run(['failed', 'failed', 'failed']);
    const text = await registry.metrics();
    assert.match(text, /# HELP faultline_check_state /);
    assert.match(text, /faultline_check_state\{check="nfs-server:127\.0\.0\.1:2049",state="failed"\} 1/);
    assert.match(text, /faultline_check_state\{check="nfs-server:127\.0\.0\.1:2049",state="ok"\} 0/);
    assert.match(text, /faultline_check_state\{check="nfs-server:127\.0\.0\.1:2049",state="degraded"\} 0/);
  });

  it('restores a state without a transition, then recovers from it', () => {
    const registry = new Registry();
    const tracker = new StateTracker({ hysteresis: H, registry, node: 'n1' });
    tracker.restore(CHECK, 'failed', '2026-01-01T00:00:00.000Z');
    assert.deepEqual(tracker.observe([result('failed')]), []);
    assert.deepEqual(tracker.observe([result('ok')]), []);
    const t = tracker.observe([result('ok')]);
    assert.equal(t.length, 1);
    assert.equal(t[0]?.to, 'ok');
  });

  it('turns transitions into alerts: firing with severity by state, resolved on recovery', () => {
    const registry = new Registry();
    const tracker = new StateTracker({
      hysteresis: { ...H, failAfter: 1, recoverAfter: 1 },
      registry,
      node: 'n1',
    });
    const [down] = tracker.observe([result('failed')]);
    const [up] = tracker.observe([result('ok')]);
    const a = transitionAlert(down!, 'n1');
    assert.equal(a.kind, 'transition');
    assert.equal(a.status, 'firing');
    assert.equal(a.severity, 'critical');
    assert.equal(a.key, CHECK);
    assert.equal(a.node, 'n1');
    assert.equal(a.message, 'TCP accepts but RPC NULL got no answer');
    assert.deepEqual(a.evidence, { from: 'ok', to: 'failed', reason: 'rpc_timeout' });
    const b = transitionAlert(up!, 'n1');
    assert.equal(b.status, 'resolved');
    assert.equal(b.severity, 'info');
    assert.notEqual(a.id, b.id);
  });

  it('forgets a vanished check and stops exporting it', async () => {
    const { registry, tracker } = run(['ok']);
    tracker.forget(CHECK);
    assert.deepEqual(tracker.checks(), []);
    assert.doesNotMatch(await registry.metrics(), /nfs-server/);
  });
});
