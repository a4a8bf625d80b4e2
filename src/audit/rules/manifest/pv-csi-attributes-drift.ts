/** NFS-013: a CSI PV's volumeAttributes no longer match its StorageClass parameters (and cannot be edited). */
import { LONGHORN_DRIVER, NFS_CSI_DRIVER } from '../../analysis/mount-sites.ts';
import { getRecord, getString } from '../../model.ts';
import { defineRule } from '../../rule.ts';
import { REF, type RuleExamples, withEdits } from './support.ts';

/** Class parameters the driver copies into the PV's volumeAttributes, per driver. */
const COPIED: Record<string, readonly string[]> = {
  [NFS_CSI_DRIVER]: ['server', 'share'],
  [LONGHORN_DRIVER]: ['nfsOptions', 'numberOfReplicas', 'dataLocality'],
};

export const rule = defineRule({
  meta: {
    id: 'pv-csi-attributes-drift',
    severity: 'medium',
    title: 'PV volumeAttributes differ from its StorageClass parameters (immutable)',
    description:
      "At provisioning, CSI drivers record the class parameters they need in the PV's " +
      '`spec.csi.volumeAttributes` (csi-driver-nfs: server and share; Longhorn: nfsOptions and the volume ' +
      'settings). The PV source is immutable (Kubernetes validation: `spec.persistentvolumesource` cannot ' +
      'change), and StorageClass parameters are immutable too — so a difference means the class was ' +
      'recreated with new values (a new server, new Longhorn nfsOptions) and existing volumes still use the ' +
      'old ones. Unlike mountOptions this cannot be patched.',
    fix: "Recreate the PV and PVC (copy the data, or re-bind a new static PV to the same export) so the volume picks up the class's current parameters.",
    inputs: ['PersistentVolume spec.csi.volumeAttributes', 'StorageClass parameters'],
    references: [REF.k8sValidation, REF.csiNfs, REF.longhorn],
  },
  check({ inventory, report }) {
    for (const pv of inventory.ofKind('PersistentVolume')) {
      const driver = getString(pv.body, ['spec', 'csi', 'driver']);
      const keys = driver ? COPIED[driver] : undefined;
      if (!keys) continue;
      const sc = inventory.classOfPv(pv);
      if (!sc || getString(sc.body, ['provisioner']) !== driver) continue;
      const attrs = getRecord(pv.body, ['spec', 'csi', 'volumeAttributes']) ?? {};
      const params = getRecord(sc.body, ['parameters']) ?? {};
      for (const key of keys) {
        const want = params[key];
        const have = attrs[key];
        if (want === undefined || have === undefined || String(want) === String(have)) continue;
        report({
          message: `PersistentVolume ${pv.name} has volumeAttributes.${key}=${String(have)} but StorageClass ${sc.name} now says ${key}=${String(want)}: the PV source is immutable, so this volume keeps the old value.`,
          location: pv.locate(['spec', 'csi', 'volumeAttributes', key]),
          object: { kind: 'PersistentVolume', name: pv.name },
          evidence: { key, pvValue: have, storageClass: sc.name, storageClassValue: want, driver },
        });
      }
    }
  },
});

const bad = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: nfs}
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.20, share: /k8s}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pvc-0a1b}
spec:
  storageClassName: nfs
  csi:
    driver: nfs.csi.k8s.io
    volumeHandle: 172.16.0.10#k8s#pvc-0a1b##
    volumeAttributes: {server: 172.16.0.10, share: /k8s}
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(
    bad,
    ['volumeHandle: 172.16.0.10#', 'volumeHandle: 172.16.0.20#'],
    ['volumeAttributes: {server: 172.16.0.10', 'volumeAttributes: {server: 172.16.0.20'],
  ),
};
