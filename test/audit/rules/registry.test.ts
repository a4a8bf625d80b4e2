/**
 * Every rule module is registered, and every registered rule has its test table (issue 13): a rule file
 * that is not in the registry never runs; one without a table is untested. Rules are found by file, not
 * by the registry, so a forgotten registration fails here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Rule } from '../../../src/audit/rule.ts';
import { RULES } from '../../../src/audit/rules/index.ts';

const NOT_RULES = new Set(['index.ts', 'support.ts']);

describe('rule registry', async () => {
  const modules: { dir: string; file: string; rule: Rule }[] = [];
  for (const dir of ['manifest', 'node']) {
    for (const file of readdirSync(join('src/audit/rules', dir))) {
      if (!file.endsWith('.ts') || NOT_RULES.has(file)) continue;
      const mod = (await import(pathToFileURL(join(process.cwd(), 'src/audit/rules', dir, file)).href)) as {
        rule?: Rule;
      };
      assert.ok(mod.rule, `src/audit/rules/${dir}/${file} exports no \`rule\``);
      modules.push({ dir, file, rule: mod.rule });
    }
  }

  it('every rule file is registered once, and the registry holds nothing else', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
    assert.deepEqual([...ids].sort(), modules.map((m) => m.rule.meta.id).sort());
    for (const m of modules) assert.ok(RULES.includes(m.rule), `${m.dir}/${m.file} is not in the registry`);
  });

  it('every rule is named after its file and has a test table that runs it', () => {
    for (const m of modules) {
      assert.equal(`${m.rule.meta.id}.ts`, m.file, `rule id vs file name: ${m.dir}/${m.file}`);
      const test = join('test/audit/rules', m.dir, `${m.rule.meta.id}.test.ts`);
      let text: string;
      try {
        text = readFileSync(test, 'utf8');
      } catch {
        assert.fail(`${test} is missing`);
      }
      assert.match(text, /ruleTable\(\s*rule/, `${test} does not run ruleTable(rule, …)`);
    }
  });
});
