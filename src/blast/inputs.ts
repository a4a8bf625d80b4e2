/**
 * Read exactly what `faultline audit` reads: the audit engine runs with one rule that only captures the
 * Inventory it built, so every source the audit knows (files, GitOps wrappers and chart values,
 * --cluster, --node-root, and whatever the audit learns later) reaches the blast unchanged. With
 * --cluster the blast adds the kinds that carry traffic relations (Services, Ingresses, Gateway API
 * routes), which the audit does not list.
 */
import { type AuditRunOptions, audit } from '../audit/engine.ts';
import { Inventory } from '../audit/inventory.ts';
import type { K8sObject } from '../audit/model.ts';
import { defineRule } from '../audit/rule.ts';
import type { InputProblem } from '../core/errors.ts';

export interface BlastInputs {
  inventory: Inventory;
  errors: InputProblem[];
  filesScanned: number;
  budgetSeconds: number;
}

export async function readInputs(
  opts: AuditRunOptions,
  extraCluster?: () => Promise<{ objects: K8sObject[]; errors: InputProblem[] }>,
): Promise<BlastInputs> {
  let captured: Inventory | undefined;
  const capture = defineRule({
    meta: {
      id: 'blast-capture-inventory',
      severity: 'info',
      title: 'capture the inventory for faultline blast',
      description: 'Reports nothing: hands the audit-built Inventory to the blast.',
      fix: '-',
      inputs: [],
      references: [],
    },
    check({ inventory }) {
      captured = inventory;
    },
  });
  // Both reads at once, each under its own deadline: against a hung API server the blast waits one
  // deadline, not two.
  const [r, extra] = await Promise.all([audit({ ...opts, rules: [capture] }), extraCluster?.()]);
  let inventory = captured!;
  const errors = [...r.errors];
  if (extra) {
    errors.push(...extra.errors);
    if (extra.objects.length > 0)
      inventory = new Inventory([...inventory.objects, ...extra.objects], inventory.node, inventory.settings);
  }
  return { inventory, errors, filesScanned: r.filesScanned, budgetSeconds: r.summary.budgetSeconds };
}
