/** Rules over Kubernetes objects and NFS mount sites (StorageClass, PV, pods, fstab, Helm values). */
import type { Rule } from '../../rule.ts';
import * as ciliumApiHostHostname from './cilium-api-host-hostname.ts';
import * as defaultStorageclassNfsHard from './default-storageclass-nfs-hard.ts';
import * as nfsErrorBudget from './nfs-error-budget.ts';
import * as nfsHardMount from './nfs-hard-mount.ts';
import * as nfsInlineVolume from './nfs-inline-volume.ts';
import * as nfsServerHostname from './nfs-server-hostname.ts';
import * as nfsUnsafeWorkload from './nfs-unsafe-workload.ts';
import * as pvMountOptionsDrift from './pv-mount-options-drift.ts';
import type { RuleExamples } from './support.ts';

/** One module per rule; each exports `rule` and its documented `examples`. Order is report order. */
const MODULES: readonly { rule: Rule; examples?: RuleExamples }[] = [
  nfsHardMount,
  defaultStorageclassNfsHard,
  nfsInlineVolume,
  nfsErrorBudget,
  nfsServerHostname,
  pvMountOptionsDrift,
  nfsUnsafeWorkload,
  ciliumApiHostHostname,
];

export const MANIFEST_RULES: readonly Rule[] = MODULES.map((m) => m.rule);

/** Examples by rule id, for the docs generator (the rules' tests run the same examples). */
export const MANIFEST_EXAMPLES: ReadonlyMap<string, RuleExamples> = new Map(
  MODULES.flatMap((m) => (m.examples ? [[m.rule.meta.id, m.examples] as const] : [])),
);
