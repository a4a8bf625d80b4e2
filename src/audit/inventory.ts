/**
 * Indexed access to everything a scan found, plus the relations rules need
 * (PVC → PV → StorageClass, pod template → PVC, the default StorageClass).
 * The relations are added by the rules work; this is the seam.
 */
import type { K8sObject, NodeFacts } from './model.ts';

export interface AuditSettings {
  /** Seconds a node tolerates a blocked task before something drastic happens (hung-task, watchdog). */
  nodeBudgetSeconds: number;
}

export const DEFAULT_SETTINGS: AuditSettings = { nodeBudgetSeconds: 120 };

export class Inventory {
  readonly objects: readonly K8sObject[];
  readonly node: NodeFacts | undefined;
  readonly settings: AuditSettings;

  constructor(
    objects: readonly K8sObject[],
    node: NodeFacts | undefined,
    settings: AuditSettings = DEFAULT_SETTINGS,
  ) {
    this.objects = objects;
    this.node = node;
    this.settings = settings;
  }

  ofKind(kind: string): K8sObject[] {
    return this.objects.filter((o) => o.kind === kind);
  }
}
