/** Words users see: rule text never says "the seed incident" (issue 13); it names the case study. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES } from '../../src/audit/rules/index.ts';

describe('rule text users see', () => {
  for (const r of RULES)
    it(`${r.meta.id}: no internal jargon`, () => {
      const text = `${r.meta.title}\n${r.meta.description}\n${r.meta.fix}`;
      assert.doesNotMatch(text, /\bseed\b/i);
      if (/cascade/.test(text))
        assert.match(text, /2025-11-14 NFS → DNS → Cilium cascade \(docs\/case-study\.md\)/);
    });
});
