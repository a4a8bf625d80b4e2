/** Rules over Kubernetes objects and NFS mount sites (StorageClass, PV, pods, fstab, Helm values). */
import type { Rule } from '../../rule.ts';

export const MANIFEST_RULES: readonly Rule[] = [];
