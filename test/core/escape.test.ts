import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeHtml, visibleControls } from '../../src/core/escape.ts';

function unescapeHtml(s: string): string {
  return s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!,
  );
}

// The one escape every HTML report (timeline, blast) uses for text taken from inputs.
describe('escaping input text', () => {
  it('escapeHtml: no markup or control byte survives, and nothing is lost (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const out = escapeHtml(s);
        assert.doesNotMatch(out, /[<>"'\u0000-\u0008\u000b-\u001f\u007f]/);
        assert.equal(unescapeHtml(out), visibleControls(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('visibleControls keeps tab and newline and maps the rest to control pictures', () => {
    assert.equal(visibleControls('a\tb\nc\u0000\u001b[1m\u007f'), 'a\tb\nc\u2400\u241b[1m\u2421');
  });
});
