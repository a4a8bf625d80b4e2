import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audit } from '../../src/audit/engine.ts';
import { defineRule } from '../../src/audit/rule.ts';
import { RULES } from '../../src/audit/rules/index.ts';

const meta = {
  title: 't',
  description: 'd',
  fix: 'f',
  inputs: [],
  references: [],
};

const perObject = defineRule({
  meta: { ...meta, id: 'test-per-object', severity: 'low' },
  check({ inventory, report }) {
    for (const o of inventory.objects)
      report({
        message: `saw ${o.kind} ${o.name}, budget ${inventory.settings.nodeBudgetSeconds}`,
        location: o.location,
        object: { kind: o.kind, name: o.name },
        ...(o.name === 'b' ? { severity: 'critical' as const } : {}),
      });
  },
});
const throwing = defineRule({
  meta: { ...meta, id: 'test-throws', severity: 'high' },
  check() {
    throw new Error('boom');
  },
});

describe('audit engine', () => {
  it('a rule that throws becomes an error entry; other rules still report; findings sorted by severity then place', async () => {
    const r = await audit({
      paths: ['test/fixtures/audit/inputs/repo/apps/broken.yaml'],
      rules: [throwing, perObject],
    });
    assert.deepEqual(
      r.errors.map((e) => e.file),
      ['test/fixtures/audit/inputs/repo/apps/broken.yaml', 'rule:test-throws'],
    );
    assert.match(r.errors[1]!.message, /boom/);
    assert.deepEqual(
      r.findings.map((f) => [f.severity, f.location.line]),
      [
        ['low', 1],
        ['low', 11],
      ],
    );
    assert.equal(r.summary.findings, 2);
    assert.equal(r.summary.bySeverity.low, 2);
    assert.equal(r.summary.errors, 2);
    assert.equal(r.summary.filesScanned, 1);
    assert.equal(r.summary.rules, 2);
  });

  it('per-finding severity overrides sort first', async () => {
    const { PassThrough } = await import('node:stream');
    const stdin = new PassThrough();
    stdin.end(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n',
    );
    const r = await audit({ paths: ['-'], stdin, rules: [perObject] });
    assert.deepEqual(
      r.findings.map((f) => `${f.severity}:${f.object.name}`),
      ['critical:b', 'low:a'],
    );
  });

  it('budget: --budget beats the node, the node beats the 120 s default', async () => {
    const def = await audit({ paths: ['test/fixtures/audit/inputs/repo/helm'], rules: [perObject] });
    assert.equal(def.summary.budgetSeconds, 120);
    assert.equal(def.summary.budgetSource, 'default');
    const flag = await audit({
      paths: ['test/fixtures/audit/inputs/repo/helm'],
      budget: 45,
      rules: [perObject],
    });
    assert.equal(flag.summary.budgetSource, 'flag');
    assert.match(flag.findings[0]!.message, /budget 45/);
    const node = await audit({ paths: [], nodeRoot: 'examples/audit/node-root', rules: [perObject] });
    assert.equal(node.summary.budgetSource, 'node');
    assert.equal(node.summary.budgetSeconds, 120);
  });

  it('the registry runs end to end over the bundled examples without rule errors', async () => {
    const r = await audit({ paths: ['examples/audit/cluster'], nodeRoot: 'examples/audit/node-root' });
    assert.deepEqual(r.errors, []);
    assert.equal(r.summary.rules, RULES.length);
    const ids = new Set(r.findings.map((f) => f.ruleId));
    for (const id of ['dns-single-resolver', 'dns-fallback-ineffective', 'coredns-no-serve-stale'])
      assert.ok(ids.has(id), id);
  });
});
