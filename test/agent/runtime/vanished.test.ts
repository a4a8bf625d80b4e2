import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetResult } from '../../../src/agent/probe.ts';
import type { ProbeOutcome } from '../../../src/agent/runtime/harness.ts';
import type { CheckState } from '../../../src/agent/runtime/state.ts';
import { VanishedChecks } from '../../../src/agent/runtime/vanished.ts';

const t = (check: string): TargetResult => ({ check, ok: true, reason: 'ok', message: 'fine' });
const outcome = (probe: string, targets: TargetResult[], ok = true, firstRoundDone = true): ProbeOutcome => ({
  probe,
  startedAt: '2026-01-01T00:00:00.000Z',
  durationSeconds: 0,
  overran: false,
  firstRoundDone,
  result: { ok, reason: ok ? 'ok' : 'error', message: '', targets },
});

function states(init: Record<string, CheckState>) {
  const s = new Map(Object.entries(init));
  return { map: s, stateOf: (c: string) => s.get(c), forget: (c: string) => void s.delete(c) };
}

describe('checks nobody reports any more', () => {
  it('a vanished failing check gets "gone" results; a vanished ok check is forgotten', () => {
    const st = states({ 'mount:/a': 'failed', 'mount:/b': 'ok' });
    const v = new VanishedChecks(st, [], 'mounts');
    const first = [t('mount:/a'), t('mount:/b')];
    assert.deepEqual(v.results(outcome('mounts', first), first), []);
    const gone = v.results(outcome('mounts', []), []);
    assert.deepEqual(
      gone.map((g) => [g.check, g.reason]),
      [['mount:/a', 'gone']],
    );
    assert.equal(st.map.has('mount:/b'), false);
    // A failed run says nothing about what vanished.
    assert.deepEqual(v.results(outcome('mounts', [], false), []), []);
  });

  it('a restored check no probe reports after a full round is "gone" until it settles', () => {
    const st = states({ 'nfs-server:a:2049': 'failed', 'dns:x': 'failed' });
    const v = new VanishedChecks(st, ['nfs-server:a:2049', 'dns:x'], 'nfs');
    assert.deepEqual(v.results(outcome('dns', [t('dns:x')], true, false), [t('dns:x')]), []);
    assert.deepEqual(v.results(outcome('nfs', [], true, false), []), [], 'not before a full round');
    const gone = v.results(outcome('nfs', [], true, true), []);
    assert.deepEqual(
      gone.map((g) => g.check),
      ['nfs-server:a:2049'],
    );
    st.map.set('nfs-server:a:2049', 'ok');
    assert.deepEqual(v.results(outcome('nfs', [], true, true), []), []);
    assert.equal(st.map.has('nfs-server:a:2049'), false);
  });
});
