/** Rules over Kubernetes objects and NFS mount sites (StorageClass, PV, pods, fstab, Helm values). */

import { type RuleModule, ruleFamily } from '../registry.ts';
import * as ciliumApiHostHostname from './cilium-api-host-hostname.ts';
import * as ciliumApiRateLimitMalformed from './cilium-api-rate-limit-malformed.ts';
import * as defaultStorageclassNfsHard from './default-storageclass-nfs-hard.ts';
import * as fstabHardNfsNodePath from './fstab-hard-nfs-node-path.ts';
import * as fstabNfsNoNofail from './fstab-nfs-no-nofail.ts';
import * as longhornNfsOptionsHard from './longhorn-nfs-options-hard.ts';
import * as nfsAttributeCacheOff from './nfs-attribute-cache-off.ts';
import * as nfsConflictingOptions from './nfs-conflicting-options.ts';
import * as nfsDeprecatedAnnotation from './nfs-deprecated-annotation.ts';
import * as nfsErrorBudget from './nfs-error-budget.ts';
import * as nfsHardMount from './nfs-hard-mount.ts';
import * as nfsInlineVolume from './nfs-inline-volume.ts';
import * as nfsIntrIgnored from './nfs-intr-ignored.ts';
import * as nfsInvalidMountOption from './nfs-invalid-mount-option.ts';
import * as nfsServerHostname from './nfs-server-hostname.ts';
import * as nfsSoftTooShort from './nfs-soft-too-short.ts';
import * as nfsUdp from './nfs-udp.ts';
import * as nfsUnsafeWorkload from './nfs-unsafe-workload.ts';
import * as nfsV4SoftUnbounded from './nfs-v4-soft-unbounded.ts';
import * as nfsVersionUnpinned from './nfs-version-unpinned.ts';
import * as pvCsiAttributesDrift from './pv-csi-attributes-drift.ts';
import * as pvMountOptionsDrift from './pv-mount-options-drift.ts';

/** One module per rule; each exports `rule` and its documented `examples`. Order is report order. */
const MODULES: readonly RuleModule[] = [
  nfsHardMount,
  defaultStorageclassNfsHard,
  nfsInlineVolume,
  nfsErrorBudget,
  nfsServerHostname,
  pvMountOptionsDrift,
  nfsUnsafeWorkload,
  ciliumApiHostHostname,
  longhornNfsOptionsHard,
  fstabHardNfsNodePath,
  nfsSoftTooShort,
  nfsUdp,
  nfsConflictingOptions,
  pvCsiAttributesDrift,
  fstabNfsNoNofail,
  nfsInvalidMountOption,
  nfsVersionUnpinned,
  nfsDeprecatedAnnotation,
  nfsAttributeCacheOff,
  ciliumApiRateLimitMalformed,
  nfsIntrIgnored,
  nfsV4SoftUnbounded,
];

/** The rules, and their examples by rule id for the docs generator (the rules' tests run the same examples). */
export const { rules: MANIFEST_RULES, examples: MANIFEST_EXAMPLES } = ruleFamily(MODULES);
