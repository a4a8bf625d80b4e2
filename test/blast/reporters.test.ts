import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { parseTarget } from '../../src/blast/analysis/index.ts';
import { blast } from '../../src/blast/blast.ts';
import { renderJson } from '../../src/blast/reporters/json.ts';
import { mermaidText, renderMermaid } from '../../src/blast/reporters/mermaid.ts';
import { BLAST_JSON_SCHEMA } from '../../src/blast/reporters/schema.ts';
import { renderText } from '../../src/blast/reporters/text.ts';

const SEED = ['examples/blast/cluster', 'examples/blast/storage-hard'];

function validator() {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  return ajv.compile(BLAST_JSON_SCHEMA);
}

describe('blast JSON', () => {
  it('matches the published schema for one target, --all, an empty blast, and input errors', async () => {
    const validate = validator();
    const runs = [
      await blast({ paths: SEED, targets: [parseTarget('nfs:truenas.home.lex.la')], all: false }),
      await blast({ paths: SEED, targets: [], all: true, nodeRoot: 'examples/audit/node-root' }),
      await blast({ paths: SEED, targets: [parseTarget('nfs:nobody'), parseTarget('cni')], all: false }),
      await blast({ paths: ['does/not/exist.yaml'], targets: [parseTarget('dns:10.0.0.1')], all: false }),
    ];
    for (const r of runs) {
      const json = JSON.parse(renderJson(r));
      assert.ok(validate(json), JSON.stringify(validate.errors, null, 2));
      assert.equal(json.version, 1);
    }
    const errors = JSON.parse(renderJson(runs[3]!)).errors;
    assert.equal(errors.length, 1);
    assert.equal(errors[0].file, 'does/not/exist.yaml');
  });

  it('is stable: the same inputs give byte-identical JSON', async () => {
    const a = renderJson(await blast({ paths: SEED, targets: [], all: true }));
    const b = renderJson(await blast({ paths: SEED, targets: [], all: true }));
    assert.equal(a, b);
  });

  it('the schema rejects a report with an unknown impact', async () => {
    const validate = validator();
    const json = JSON.parse(
      renderJson(await blast({ paths: SEED, targets: [parseTarget('nfs:truenas.home.lex.la')], all: false })),
    );
    json.results[0].victims[0].impact = 'fine';
    assert.equal(validate(json), false);
  });
});

describe('blast text', () => {
  it('names the hostnames lost through node freeze and the direct victim', async () => {
    const text = renderText(
      await blast({ paths: SEED, targets: [parseTarget('nfs:truenas.home.lex.la')], all: false }),
    );
    assert.match(text, /Direct victims \(1\):\n {4}StatefulSet monitoring\/loki — hangs/);
    assert.match(text, /Hostnames lost \(4\):/);
    assert.match(text, / {4}eta\.lex\.la {2}through node freeze — HTTPRoute web\/eta/);
    assert.match(text, /Nodes: any node that schedules StatefulSet monitoring\/loki/);
  });
});

describe('escaping (property)', () => {
  // escapeHtml itself is tested once, in test/core/escape.test.ts; the blast page only uses it.
  it('mermaidText: only plain characters and #code; entities, and it decodes back to the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const out = mermaidText(s);
        assert.match(out, /^([A-Za-z0-9 ._:/,=()@+*-]|#\d+;)*$/);
        assert.equal(
          out.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))),
          s,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('a Mermaid label never carries a quote, bracket, pipe or newline from the input', async () => {
    const m = renderMermaid(await blast({ paths: SEED, targets: [], all: true }));
    for (const line of m.split('\n').filter((l) => /\["|\(\["|\[\("|\{\{"|>"/.test(l))) {
      const label = /"(.*)"/.exec(line)?.[1] ?? '';
      assert.doesNotMatch(label, /["[\]{}|<>\n`]/, line);
    }
  });
});
