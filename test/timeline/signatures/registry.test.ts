/**
 * Issue 13: every signature family module, quoted-cause entry and whole-document format is registered
 * in its one registry and has its test table — a module nobody registered, or registered without a
 * test, fails here instead of silently never matching.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAMILY_MODULES } from '../../../src/timeline/signatures/catalog.ts';
import { QUOTED_CAUSES, quotedCauses } from '../../../src/timeline/signatures/causes.ts';
import { exampleText, FAMILIES } from '../../../src/timeline/signatures/types.ts';
import { DOCUMENT_FORMATS } from '../../../src/timeline/sources/documents.ts';

const SIGNATURES = 'src/timeline/signatures';
const SOURCES = 'src/timeline/sources';

describe('registries', () => {
  it('every family has a module in FAMILY_MODULES, and every module calling defineFamily is registered', () => {
    assert.deepEqual(Object.keys(FAMILY_MODULES).sort(), [...FAMILIES].sort());
    for (const file of readdirSync(SIGNATURES).filter((f) => f.endsWith('.ts'))) {
      const m = /defineFamily\('([a-z-]+)'/.exec(readFileSync(join(SIGNATURES, file), 'utf8'));
      if (!m) continue;
      assert.ok(
        (FAMILIES as readonly string[]).includes(m[1]!),
        `${file}: family ${m[1]} is not in FAMILIES`,
      );
      assert.ok(FAMILY_MODULES[m[1] as keyof typeof FAMILY_MODULES].length > 0, `${file} not registered`);
    }
  });

  it('every family module has its test table (test/timeline/signatures/<family>.test.ts → checkFamily)', () => {
    for (const family of FAMILIES) {
      const text = readFileSync(`test/timeline/signatures/${family}.test.ts`, 'utf8');
      assert.match(
        text,
        new RegExp(`checkFamily\\('${family}'`),
        `${family}.test.ts does not run checkFamily`,
      );
    }
  });

  it('every quoted cause finds its examples and none of its near misses', () => {
    assert.equal(new Set(QUOTED_CAUSES.map((q) => q.id)).size, QUOTED_CAUSES.length);
    for (const q of QUOTED_CAUSES) {
      assert.ok(q.id.startsWith(`${q.family}.`), q.id);
      assert.ok(q.examples.length > 0 && q.nearMisses.length > 0, `${q.id} needs examples and near misses`);
      for (const ex of q.examples)
        assert.ok(
          quotedCauses(exampleText(ex).message).some((m) => m.family === q.family),
          `${q.id} misses ${exampleText(ex).message}`,
        );
      for (const ex of q.nearMisses)
        assert.ok(
          !q.pattern.test(exampleText(ex).message),
          `${q.id} matches near miss ${exampleText(ex).message}`,
        );
    }
  });

  it('every whole-document format in sources/ is in DOCUMENT_FORMATS', () => {
    const declared = new Set<string>();
    for (const file of readdirSync(SOURCES).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(SOURCES, file), 'utf8');
      for (const m of text.matchAll(/export const (\w+): DocumentFormat\b/g)) declared.add(m[1]!);
    }
    assert.ok(declared.size >= 2);
    const registered = readFileSync(join(SOURCES, 'documents.ts'), 'utf8');
    const list = /DOCUMENT_FORMATS: readonly DocumentFormat\[\] = \[([^\]]*)\]/.exec(registered)?.[1] ?? '';
    for (const name of declared)
      assert.ok(list.includes(name), `${name} is not registered in DOCUMENT_FORMATS`);
    assert.equal(DOCUMENT_FORMATS.length, declared.size);
  });
});
