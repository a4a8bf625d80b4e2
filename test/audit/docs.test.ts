import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { allExamples, DOCS_DIR, docContent, renderRuleDocs } from '../../scripts/gen-rule-docs.ts';
import { RULES } from '../../src/audit/rules/index.ts';
import { MANIFEST_EXAMPLES } from '../../src/audit/rules/manifest/index.ts';
import { NODE_EXAMPLES } from '../../src/audit/rules/node/index.ts';

describe('rule docs', () => {
  const pages = renderRuleDocs();

  it('has a page for every registered rule, and the index lists them all', () => {
    for (const r of RULES) assert.ok(pages.has(`${DOCS_DIR}/${r.meta.id}.md`), r.meta.id);
    const index = pages.get(`${DOCS_DIR}/README.md`)!;
    for (const r of RULES) assert.ok(index.includes(`[\`${r.meta.id}\`](${r.meta.id}.md)`), r.meta.id);
  });

  it('rule ids are unique', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('shows the examples the rules are tested with, manifest and node rules alike', () => {
    const examples = allExamples();
    assert.ok(MANIFEST_EXAMPLES.size > 0 && NODE_EXAMPLES.size > 0);
    assert.equal(examples.size, MANIFEST_EXAMPLES.size + NODE_EXAMPLES.size);
    for (const r of RULES) assert.ok(examples.has(r.meta.id), `${r.meta.id} has no documented examples`);
    for (const [id, ex] of examples) {
      const page = pages.get(`${DOCS_DIR}/${id}.md`);
      assert.ok(page, `no page for ${id}`);
      assert.ok(page.includes(ex.bad.trimEnd()), `${id}: bad example missing`);
      assert.ok(page.includes(ex.good.trimEnd()), `${id}: good example missing`);
    }
  });

  it('committed pages are up to date (run: node --import tsx scripts/gen-rule-docs.ts)', () => {
    for (const [path, text] of pages) {
      let onDisk: string;
      try {
        onDisk = readFileSync(path, 'utf8');
      } catch {
        assert.fail(`${path} is missing: regenerate the docs`);
      }
      assert.equal(docContent(onDisk), docContent(text), `${path} is stale: regenerate the docs`);
    }
    const extra = readdirSync(DOCS_DIR).filter((n) => n.endsWith('.md') && !pages.has(`${DOCS_DIR}/${n}`));
    assert.deepEqual(extra, [], 'pages of rules that no longer exist');
  });
});
