import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { validateManifest } from './k8s-schema.ts';
import { PROMETHEUS_RULE_FILE, RULES_FILE, renderPrometheusRule } from './prometheusrule.ts';
import { promtool } from './promtool.ts';

const RULES_TEST = join(import.meta.dirname, 'rules.test.yml');

interface RuleTest {
  alert_rule_test: { alertname: string; exp_alerts: unknown[] }[];
}

describe('deploy/prometheus rules', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'faultline-rules-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('pass promtool check rules', () => {
    const r = promtool('check', 'rules', RULES_FILE);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /SUCCESS: \d+ rules found/);
  });

  it('pass promtool test rules (test/deploy/rules.test.yml)', () => {
    const r = promtool('test', 'rules', RULES_TEST);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /SUCCESS/);
  });

  it('every alert has a firing and a not-firing case', () => {
    const alerts: string[] = parse(readFileSync(RULES_FILE, 'utf8')).groups.flatMap(
      (g: { rules: { alert?: string }[] }) => g.rules.map((r) => r.alert).filter(Boolean),
    );
    const tests: RuleTest[] = parse(readFileSync(RULES_TEST, 'utf8')).tests;
    const cases = tests.flatMap((t) => t.alert_rule_test);
    for (const a of alerts) {
      assert.ok(
        cases.some((c) => c.alertname === a && c.exp_alerts.length > 0),
        `${a}: no firing case`,
      );
      assert.ok(
        cases.some((c) => c.alertname === a && c.exp_alerts.length === 0),
        `${a}: no silent case`,
      );
    }
    assert.ok(alerts.length >= 15, `expected the full alert set, got ${alerts.length}`);
  });

  it('the rule tests have teeth: a weakened rule makes promtool test rules fail', () => {
    const broken = readFileSync(RULES_FILE, 'utf8').replace(
      'expr: faultline_nfs_server_up == 0',
      'expr: faultline_nfs_server_up == 2',
    );
    writeFileSync(join(scratch, 'faultline.rules.yml'), broken);
    const tests = readFileSync(RULES_TEST, 'utf8').replace(
      '../../deploy/prometheus/faultline.rules.yml',
      join(scratch, 'faultline.rules.yml'),
    );
    writeFileSync(join(scratch, 'rules.test.yml'), tests);
    const r = promtool('test', 'rules', join(scratch, 'rules.test.yml'));
    assert.notEqual(r.status, 0);
    assert.match(r.output, /alertname: FaultlineNFSServerUnreachable/);
  });

  it('every alert names a runbook section that exists in docs/agent/alerts.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'agent', 'alerts.md'), 'utf8');
    const anchors = new Set(
      [...doc.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        m[1]!
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const g of parse(readFileSync(RULES_FILE, 'utf8')).groups) {
      for (const r of g.rules) {
        const runbook: string = r.annotations.runbook;
        assert.equal(runbook, `docs/agent/alerts.md#${r.alert.toLowerCase()}`);
        assert.ok(anchors.has(r.alert.toLowerCase()), `docs/agent/alerts.md has no section for ${r.alert}`);
      }
    }
  });

  it('the PrometheusRule CR carries exactly the rule file groups and is a valid CR', async () => {
    const rulesText = readFileSync(RULES_FILE, 'utf8');
    assert.equal(
      readFileSync(PROMETHEUS_RULE_FILE, 'utf8'),
      renderPrometheusRule(rulesText),
      'prometheusrule.yaml is stale: run node --import tsx test/deploy/prometheusrule.ts --write',
    );
    const cr = parse(readFileSync(PROMETHEUS_RULE_FILE, 'utf8'));
    assert.deepEqual(cr.spec.groups, parse(rulesText).groups);
    assert.deepEqual(await validateManifest(cr), []);
  });
});
