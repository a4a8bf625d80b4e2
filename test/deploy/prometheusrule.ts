/**
 * deploy/kubernetes/monitoring/prometheusrule.yaml is the PrometheusRule CR wrapping the groups of
 * deploy/prometheus/faultline.rules.yml (one source of truth). Regenerate after editing the rules:
 *   node --import tsx test/deploy/prometheusrule.ts --write
 * test/deploy/prometheus.test.ts fails while the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEPLOY_DIR } from './manifests.ts';

export const RULES_FILE = join(DEPLOY_DIR, 'prometheus', 'faultline.rules.yml');
export const PROMETHEUS_RULE_FILE = join(DEPLOY_DIR, 'kubernetes', 'monitoring', 'prometheusrule.yaml');

export function buildPrometheusRule(rulesText: string): Record<string, unknown> {
  const { groups } = parse(rulesText) as { groups: unknown[] };
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'faultline-agent',
      namespace: 'faultline',
      labels: { 'app.kubernetes.io/name': 'faultline', 'app.kubernetes.io/component': 'agent' },
    },
    spec: { groups },
  };
}

export function renderPrometheusRule(rulesText: string): string {
  const header =
    '# GENERATED from deploy/prometheus/faultline.rules.yml — do not edit here.\n' +
    '# Regenerate: node --import tsx test/deploy/prometheusrule.ts --write\n';
  return header + stringify(buildPrometheusRule(rulesText), { lineWidth: 0 });
}

if (process.argv.includes('--write')) {
  writeFileSync(PROMETHEUS_RULE_FILE, renderPrometheusRule(readFileSync(RULES_FILE, 'utf8')));
  console.log(`wrote ${PROMETHEUS_RULE_FILE}`);
}
