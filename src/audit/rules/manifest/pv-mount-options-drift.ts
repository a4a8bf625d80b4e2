/** NFS-012: a provisioned PV whose mountOptions no longer match its StorageClass. */
import { splitOptions } from '../../../nfs/mount-options.ts';
import { MOUNT_OPTIONS_ANNOTATION, siteEvidence, sitesOf } from '../../analysis/mount-sites.ts';
import { namespaceOf } from '../../inventory.ts';
import { getArray, getString } from '../../model.ts';
import { defineRule } from '../../rule.ts';
import { REF, type RuleExamples, shellQuote, withEdits } from './support.ts';

const PROVISIONED_BY = ['pv.kubernetes.io/provisioned-by', 'volume.kubernetes.io/provisioned-by'];

export const rule = defineRule({
  meta: {
    id: 'pv-mount-options-drift',
    severity: 'medium',
    title: 'Provisioned PV keeps mount options its StorageClass no longer has',
    description:
      "The external provisioner copies a StorageClass's `mountOptions` into each PV once, when it creates it " +
      '(kubernetes-csi/external-provisioner: `MountOptions: options.StorageClass.MountOptions`); nothing ' +
      'reconciles them later. Editing the class — as was done after the 2025-11-14 NFS → DNS → Cilium cascade (docs/case-study.md), from hard to soft — changes only ' +
      'future volumes: every existing PV keeps the old options (the incident found one six days later). A ' +
      "PV's `spec.mountOptions` can be edited on a bound PV and apply at the next mount; because the first " +
      "mount's options win on a node (nfs(5) sharecache), every pod using the volume on that node must be " +
      'gone before the new options take effect.',
    fix: "Patch the PV's spec.mountOptions to the class's list (the finding gives the exact `kubectl patch`), then recreate the pods that mount it so the volume is remounted.",
    inputs: [
      'PersistentVolume (pv.kubernetes.io/provisioned-by, storageClassName)',
      'StorageClass mountOptions',
    ],
    references: [REF.externalProvisioner, REF.k8sPvMountOptions, REF.k8sValidation, REF.nfs5],
  },
  check({ inventory, report }) {
    for (const pv of inventory.ofKind('PersistentVolume')) {
      const provisioner = PROVISIONED_BY.map((a) => getString(pv.body, ['metadata', 'annotations', a])).find(
        (v) => v !== undefined,
      );
      if (provisioner === undefined) continue;
      const sc = inventory.classOfPv(pv);
      if (sc === undefined) continue;
      const scOptions = getArray(sc.body, ['mountOptions']).map(String);
      const pvOptions = getArray(pv.body, ['spec', 'mountOptions']).map(String);
      if (sameOptions(scOptions, pvOptions)) continue;

      const op = pvOptions.length > 0 ? (scOptions.length > 0 ? 'replace' : 'remove') : 'add';
      const patchOps: Record<string, unknown>[] = [
        op === 'remove'
          ? { op, path: '/spec/mountOptions' }
          : { op, path: '/spec/mountOptions', value: scOptions },
      ];
      const annotated =
        getString(pv.body, ['metadata', 'annotations', MOUNT_OPTIONS_ANNOTATION]) !== undefined;
      if (annotated)
        // kubelet prefers the beta annotation to spec.mountOptions: drop it or the patch does nothing.
        patchOps.push({
          op: 'remove',
          path: `/metadata/annotations/${MOUNT_OPTIONS_ANNOTATION.replace('/', '~1')}`,
        });
      const patch = `kubectl patch pv ${pv.name} --type=json -p ${shellQuote(JSON.stringify(patchOps))}`;

      const pods = inventory
        .claimsOfPv(pv)
        .flatMap((pvc) => inventory.workloadsUsingClaim(pvc))
        .map((w) => `${w.kind} ${namespaceOf(w)}/${w.name}`);
      const claim = getString(pv.body, ['spec', 'claimRef', 'name']);
      const claimNs = getString(pv.body, ['spec', 'claimRef', 'namespace']);
      const recreate =
        pods.length > 0
          ? `recreate the pods of ${pods.join(', ')} (e.g. kubectl rollout restart) so the volume is remounted with the new options`
          : `recreate the pods that mount it${claim ? ` (claim ${claimNs ?? 'default'}/${claim})` : ''} so the volume is remounted with the new options — until then the node keeps the old mount`;
      const site = sitesOf(inventory, pv)[0];
      report({
        message: `PersistentVolume ${pv.name} (provisioned by ${provisioner} from StorageClass ${sc.name}) mounts with [${pvOptions.join(', ')}] but the class now says [${scOptions.join(', ')}]: class edits never reach existing PVs.`,
        location: pvOptions.length > 0 ? pv.locate(['spec', 'mountOptions']) : pv.location,
        object: { kind: 'PersistentVolume', name: pv.name },
        evidence: {
          ...(site ? siteEvidence(site) : {}),
          pvMountOptions: pvOptions,
          storageClass: sc.name,
          storageClassMountOptions: scOptions,
          patch,
        },
        fix: `${patch}\nThen ${recreate}.`,
      });
    }
  },
});

/** Same options regardless of order and of how they were split across list items. */
function sameOptions(a: readonly string[], b: readonly string[]): boolean {
  const norm = (l: readonly string[]) =>
    splitOptions(l)
      .map((o) => (o.value === undefined ? o.name : `${o.name}=${o.value}`))
      .sort()
      .join(',');
  return norm(a) === norm(b);
}

const bad = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: truenas-nfs
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /mnt/pool/k8s}
mountOptions: [nfsvers=4.1, soft, timeo=100, retrans=2, tcp]
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pvc-6f1c2d3e
  annotations:
    pv.kubernetes.io/provisioned-by: nfs.csi.k8s.io
spec:
  storageClassName: truenas-nfs
  mountOptions: [hard, timeo=600, nfsvers=4.1]
  csi:
    driver: nfs.csi.k8s.io
    volumeHandle: 172.16.0.10#mnt/pool/k8s#pvc-6f1c2d3e##
    volumeAttributes: {server: 172.16.0.10, share: /mnt/pool/k8s}
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, [
    '  mountOptions: [hard, timeo=600, nfsvers=4.1]',
    '  mountOptions: [nfsvers=4.1, soft, timeo=100, retrans=2, tcp]',
  ]),
};
