/**
 * The one rule-test harness (the ESLint RuleTester model): how a table of cases is checked against a
 * rule — expected findings in order (severity, file, line, object, message/fix substrings, evidence),
 * valid cases clean, the rule's documented examples (bad reports, good is clean), complete metadata.
 * Inputs are built by two small adapters: manifest/harness.ts (YAML plus fstab/mountinfo/nfsmount.conf
 * text, parsed synchronously) and node/helpers.ts (a node root written to disk and read by the real
 * --node-root readers). Both call `ruleCases` here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Inventory } from '../../../src/audit/inventory.ts';
import { type Rule, runRules } from '../../../src/audit/rule.ts';
import type { Finding } from '../../../src/core/finding.ts';
import { atLeast, type Severity } from '../../../src/core/severity.ts';

export interface Expected {
  /** Default: the rule's own severity. */
  severity?: Severity;
  line?: number;
  file?: string;
  /** Object name the finding names. */
  name?: string;
  /** Substrings the message must contain. */
  message?: string[];
  /** Substrings the fix must contain. */
  fix?: string[];
  evidence?: Record<string, unknown>;
}

export interface TableCase {
  name: string;
  /** [] for a valid case. */
  expect: Expected[];
  inventory(): Inventory | Promise<Inventory>;
}

export interface TableExamples {
  bad: () => Inventory | Promise<Inventory>;
  good: () => Inventory | Promise<Inventory>;
}

/** Findings in a stable order (file, line), as the engine reports them. */
export function findingsOf(rule: Rule, inv: Inventory): Finding[] {
  return runRules([rule], inv).sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) || (a.location.line ?? 0) - (b.location.line ?? 0),
  );
}

function show(fs: Finding[]): string {
  return fs.map((f) => `${f.severity} ${f.location.file}:${f.location.line} ${f.message}`).join('\n');
}

export function checkFindings(rule: Rule, fs: Finding[], expected: readonly Expected[]): void {
  assert.equal(fs.length, expected.length, `expected ${expected.length} findings, got:\n${show(fs)}`);
  expected.forEach((e, i) => {
    const f = fs[i]!;
    assert.equal(f.ruleId, rule.meta.id);
    assert.equal(f.severity, e.severity ?? rule.meta.severity, `finding ${i}: ${f.message}`);
    if (e.line !== undefined) assert.equal(f.location.line, e.line, `finding ${i} line: ${f.message}`);
    if (e.file !== undefined) assert.equal(f.location.file, e.file);
    if (e.name !== undefined) assert.equal(f.object.name, e.name);
    for (const m of e.message ?? []) assert.ok(f.message.includes(m), `message lacks '${m}': ${f.message}`);
    for (const m of e.fix ?? []) assert.ok(f.fix.includes(m), `fix lacks '${m}': ${f.fix}`);
    for (const [k, v] of Object.entries(e.evidence ?? {}))
      assert.deepEqual(f.evidence[k], v, `evidence.${k}`);
    assert.ok(f.fix.length > 0 && f.message.length > 0);
    assert.ok(f.location.line !== undefined || f.location.file.startsWith('/'), 'every finding has a line');
  });
}

export function ruleCases(
  rule: Rule,
  cases: readonly TableCase[],
  examples: TableExamples | undefined,
): void {
  describe(`rule ${rule.meta.id}`, () => {
    it('has complete metadata, uniquely named valid and invalid cases', () => {
      assert.ok(rule.meta.description.length > 100, 'description explains the mechanism');
      assert.ok(rule.meta.fix.length > 20);
      assert.ok(rule.meta.references.length > 0);
      const names = cases.map((c) => c.name);
      assert.equal(new Set(names).size, names.length, 'duplicate case names');
      assert.ok(
        cases.some((c) => c.expect.length > 0),
        'at least one invalid case',
      );
    });
    for (const c of cases)
      it(`${c.expect.length === 0 ? 'valid' : 'invalid'}: ${c.name}`, async () => {
        checkFindings(rule, findingsOf(rule, await c.inventory()), c.expect);
      });
    if (!examples) return;
    // The docs' examples: bad must report above info (or at all, for info rules); good must not.
    const floor: Severity = rule.meta.severity === 'info' ? 'info' : 'low';
    it('documented bad example reports', async () => {
      const fs = findingsOf(rule, await examples.bad());
      assert.ok(
        fs.some((f) => atLeast(f.severity, floor)),
        'bad example gives no finding',
      );
    });
    it('documented good example is clean', async () => {
      const fs = findingsOf(rule, await examples.good());
      assert.deepEqual(
        fs.filter((f) => atLeast(f.severity, floor)).map((f) => f.message),
        [],
      );
    });
  });
}
