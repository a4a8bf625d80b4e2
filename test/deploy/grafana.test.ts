import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { AGENT_METRICS, metricNames, PROMETHEUS_SERIES } from './agent-metrics.ts';
import { DEPLOY_DIR } from './manifests.ts';
import { RULES_FILE } from './prometheusrule.ts';
import { promtool } from './promtool.ts';

const DASHBOARD = join(DEPLOY_DIR, 'grafana', 'faultline-dashboard.json');
/** Grafana's reference to the templated datasource variable. */
const DATASOURCE_VAR = ['$', '{datasource}'].join('');

interface Target {
  expr: string;
  refId: string;
  datasource?: { uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
const panels: Panel[] = dashboard.panels;
const dataPanels = panels.filter((p) => p.type !== 'row');
const exprs = dataPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

describe('deploy/grafana dashboard', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'faultline-dash-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('is a Grafana dashboard with a templated datasource and node variable', () => {
    assert.ok(dashboard.schemaVersion >= 39, `schemaVersion ${dashboard.schemaVersion}`);
    assert.equal(dashboard.uid, 'faultline-agent');
    const vars = new Map<string, { type: string; query: unknown }>(
      dashboard.templating.list.map((v: { name: string }) => [v.name, v]),
    );
    assert.equal(vars.get('datasource')?.type, 'datasource');
    assert.equal(vars.get('datasource')?.query, 'prometheus');
    assert.equal(vars.get('node')?.type, 'query');
    for (const p of dataPanels) {
      assert.equal(p.datasource?.uid, DATASOURCE_VAR, `${p.title}: uses the templated datasource`);
      assert.ok((p.targets ?? []).length > 0, `${p.title}: has a query`);
    }
  });

  it('covers every probe family, alert state and the outbox', () => {
    const all = exprs.map((e) => e.expr).join('\n');
    for (const family of [
      'faultline_nfs_',
      'faultline_mount_',
      'faultline_dstate_',
      'faultline_kernel_',
      'faultline_pressure_',
      'faultline_dns_',
      'faultline_cilium_',
      'faultline_alert_outbox_',
      'faultline_node_at_risk',
      'ALERTS{',
    ]) {
      assert.ok(all.includes(family), `no panel for ${family}`);
    }
  });

  it('filters every query by the node variable', () => {
    for (const { panel, expr } of exprs) {
      for (const name of metricNames(expr)) {
        const selectors = [...expr.matchAll(new RegExp(`\\b${name}\\{([^}]*)\\}`, 'g'))];
        assert.ok(selectors.length > 0, `${panel}: ${name} has no label selector`);
        for (const s of selectors)
          assert.match(s[1]!, /instance=~"\$node"/, `${panel}: ${name} ignores $node`);
      }
    }
  });

  it('panels do not overlap', () => {
    const cells = new Map<string, string>();
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos;
      assert.ok(x >= 0 && x + w <= 24, `${p.title}: outside the 24-column grid`);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const other = cells.get(`${i},${j}`);
          assert.equal(other, undefined, `${p.title} overlaps ${other}`);
          cells.set(`${i},${j}`, p.title);
        }
      }
    }
  });

  it('dashboard and alert rules reference only metrics the agent exports', () => {
    const known = new Set([...AGENT_METRICS, ...PROMETHEUS_SERIES]);
    const ruleExprs: { panel: string; expr: string }[] = parse(
      readFileSync(RULES_FILE, 'utf8'),
    ).groups.flatMap((g: { rules: { alert: string; expr: string }[] }) =>
      g.rules.map((r) => ({ panel: r.alert, expr: r.expr })),
    );
    for (const { panel, expr } of [...exprs, ...ruleExprs]) {
      const names = metricNames(expr);
      assert.ok(names.length > 0, `${panel}: no metric found in ${expr}`);
      for (const n of names) assert.ok(known.has(n), `${panel}: unknown metric ${n}`);
    }
    assert.deepEqual(metricNames('sum by (instance, sink) (rate(x_total{a="b(c)"}[5m])) > 0 unless y'), [
      'x_total',
      'y',
    ]);
  });

  it('every query parses as PromQL (promtool check rules on them as recording rules)', () => {
    const rules = exprs.map((e, i) => ({
      record: `faultline:dashboard_query_${i}`,
      // Grafana substitutes $node before sending; use the value "All" has (allValue .+).
      expr: e.expr.replaceAll('$node', '.+'),
    }));
    const file = join(scratch, 'dashboard.rules.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
    const r = promtool('check', 'rules', file);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, new RegExp(`SUCCESS: ${rules.length} rules found`));
  });
});
