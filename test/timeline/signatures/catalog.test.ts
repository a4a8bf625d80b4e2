import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CATALOG,
  CATALOG_ERE,
  CATALOG_PATTERNS,
  Classifier,
  FAMILIES,
} from '../../../src/timeline/signatures/index.ts';
import { exampleText, type Signature } from '../../../src/timeline/signatures/types.ts';
import { requireExecutable } from '../../helpers/lab.ts';

const classifier = new Classifier();
const all = CATALOG.flatMap((s) => s.examples.map((e) => ({ s, ...exampleText(e) })));

/** The reference matcher: every signature in order, no prefilter. */
function reference(message: string, program: string | undefined): Signature | undefined {
  return CATALOG.find(
    (s) =>
      (!s.program || (program !== undefined && s.program.test(program))) &&
      s.pattern.test(message) &&
      !s.unless?.test(message),
  );
}

describe('signature catalog', () => {
  it('covers every family, with unique ids, and exports one pattern and one ERE per signature', () => {
    assert.deepEqual([...new Set(CATALOG.map((s) => s.family))].sort(), [...FAMILIES].sort());
    assert.equal(new Set(CATALOG.map((s) => s.id)).size, CATALOG.length);
    assert.equal(CATALOG_PATTERNS.length, CATALOG.length);
    assert.equal(CATALOG_ERE.length, CATALOG.length);
  });

  it('tags every example line with exactly one family', () => {
    for (const { s, program, message } of all) {
      const families = new Set(classifier.allMatches(message, program).map((m) => m.family));
      assert.deepEqual([...families], [s.family], `${s.id}: ${message} matches ${[...families].join(', ')}`);
    }
  });

  it('the needle prefilter never changes a classification (equivalence with the reference matcher)', () => {
    const pieces = [
      ...all.map((x) => x.message),
      ...CATALOG.flatMap((s) => s.nearMisses.map((e) => exampleText(e).message)),
    ];
    for (const m of pieces)
      assert.equal(classifier.classify(m)?.signature.id, reference(m, undefined)?.id, m);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...pieces), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }),
        (parts) => {
          // Random slices of real lines glued together: needles appear without their patterns and vice versa.
          const m = parts
            .map(([p, a, b]) => p.slice(a % p.length, (a % p.length) + 1 + (b % p.length)))
            .join(' ');
          assert.equal(classifier.classify(m)?.signature.id, reference(m, undefined)?.id, m);
        },
      ),
      { numRuns: 2000 },
    );
  });

  describe('grep -E patterns (real GNU grep)', () => {
    const grep = requireExecutable('grep', 'grep');
    const dir = mkdtempSync(join(tmpdir(), 'faultline-ere-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    for (const [i, s] of CATALOG.entries()) {
      it(`${s.id}: grep -E matches its examples and not the near misses its regex rejects`, () => {
        const ere = CATALOG_ERE[i]!;
        const lines = s.examples.map((e) => exampleText(e).message);
        const misses = s.nearMisses.map((e) => exampleText(e).message).filter((m) => !s.pattern.test(m));
        const file = join(dir, `${s.id}.log`);
        writeFileSync(file, `${[...lines, ...misses].join('\n')}\n`);
        const r = spawnSync(grep, ['-E', '-n', '-e', ere, file], { encoding: 'utf8' });
        assert.ok(r.status === 0 || r.status === 1, `grep failed on ${ere}: ${r.stderr}`);
        const matched = r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => Number(l.slice(0, l.indexOf(':'))));
        assert.deepEqual(
          matched,
          lines.map((_, n) => n + 1),
          `ERE ${ere}`,
        );
      });
    }
  });
});
