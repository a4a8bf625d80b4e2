import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withEdits } from '../../../../src/audit/rules/manifest/support.ts';

describe('withEdits (good examples written as the bad one plus the fix)', () => {
  const bad = 'mountOptions: [hard, timeo=600]\nserver: 10.0.0.5\n';

  it('applies each edit in order', () => {
    assert.equal(
      withEdits(bad, ['hard', 'softerr'], ['timeo=600]', 'timeo=100, retrans=2]']),
      'mountOptions: [softerr, timeo=100, retrans=2]\nserver: 10.0.0.5\n',
    );
  });

  it('fails loudly when an edit no longer matches, or matches twice', () => {
    assert.throws(() => withEdits(bad, ['soft,', 'hard,']), /'soft,' must match exactly once/);
    assert.throws(() => withEdits(`${bad}${bad}`, ['hard', 'softerr']), /'hard' must match exactly once/);
  });
});
