/** The default StorageClass is a hard NFS mount, and the claims that land on it without asking. */
import { describeRecovery, mountSites, siteEvidence } from '../../analysis/mount-sites.ts';
import { defaultClassAnnotationPath, namespaceOf } from '../../inventory.ts';
import { getArray, getString, objectRef } from '../../model.ts';
import { defineRule } from '../../rule.ts';
import { REF, type RuleExamples } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'default-storageclass-nfs-hard',
    severity: 'high',
    title: 'Default StorageClass is a hard NFS mount',
    description:
      'A PVC without `storageClassName` (and every Helm chart `persistence` block that leaves storageClass ' +
      'empty) is provisioned from the default StorageClass — the one annotated ' +
      '`storageclass.kubernetes.io/is-default-class: "true"` (Kubernetes storage classes docs). When that ' +
      'class mounts NFS hard, any chart installed with defaults puts its data on a mount that blocks for ' +
      'ever when the server goes away (nfs(5)), without anyone choosing NFS — the Loki volume in the 2025-11-14 NFS → DNS → Cilium cascade (docs/case-study.md) was ' +
      'such a volume. The class is reported at its default annotation; each claim that lands on it ' +
      'implicitly is reported too.',
    fix: 'Make the default class a local/block class, or make this class soft and bounded (`softerr,timeo=100,retrans=2`). Give claims that must be on NFS an explicit storageClassName.',
    inputs: [
      'StorageClass',
      'PersistentVolumeClaim',
      'StatefulSet volumeClaimTemplates',
      'Helm values persistence',
    ],
    references: [REF.k8sDefaultClass, REF.nfs5, REF.csiNfs],
  },
  check({ inventory, report }) {
    const hardDefaults = mountSites(inventory).filter(
      (s) => s.origin === 'StorageClass' && s.isDefaultClass && s.errorAfterSeconds === null,
    );
    for (const site of hardDefaults) {
      const sc = site.k8s!;
      report({
        message: `StorageClass ${sc.name} is the default class and mounts NFS ${describeRecovery(site)}: every PVC without storageClassName gets this mount.`,
        location: sc.locate(defaultClassAnnotationPath(sc)),
        object: site.object,
        evidence: siteEvidence(site),
      });
    }
    if (hardDefaults.length === 0) return;
    const isHardDefault = (name: string | undefined) => hardDefaults.some((s) => s.k8s!.name === name);
    // Name where the default class is defined: a class kept in a directory the cluster does not deploy
    // still counts here, and the user must be able to see that (and --exclude it).
    const definedAt = (name: string | undefined) => {
      const sc = hardDefaults.find((s) => s.k8s!.name === name)?.k8s;
      if (!sc) return '';
      const loc = sc.locate(defaultClassAnnotationPath(sc));
      return ` (made default at ${loc.file}${loc.line ? `:${loc.line}` : ''}${sc.derivedFrom ? `, from ${sc.derivedFrom}` : ''})`;
    };

    for (const pvc of inventory.ofKind('PersistentVolumeClaim')) {
      const cls = inventory.classOfClaim(pvc.body);
      if (cls.binding !== 'default' || !isHardDefault(cls.name)) continue;
      report({
        message: `PersistentVolumeClaim ${namespaceOf(pvc)}/${pvc.name}${pvc.derivedFrom ? ` (from ${pvc.derivedFrom})` : ''} sets no storageClassName and lands on the default class ${cls.name}${definedAt(cls.name)}, a hard NFS mount.`,
        location: pvc.locate(['spec']),
        object: objectRef(pvc),
        evidence: {
          storageClass: cls.name,
          binding: 'default',
          derivedFrom: pvc.derivedFrom,
          defaultClassDefinedAt: definedAt(cls.name),
        },
        fix: `Set spec.storageClassName to a local/block class (or to a soft NFS class if NFS is intended); ${cls.name} mounts hard.`,
      });
    }
    for (const sts of inventory.ofKind('StatefulSet')) {
      getArray(sts.body, ['spec', 'volumeClaimTemplates']).forEach((t, i) => {
        if (!t || typeof t !== 'object') return;
        const cls = inventory.classOfClaim(t as Record<string, unknown>);
        if (cls.binding !== 'default' || !isHardDefault(cls.name)) return;
        const claim = getString(t, ['metadata', 'name']) ?? `#${i}`;
        report({
          message: `StatefulSet ${namespaceOf(sts)}/${sts.name} volumeClaimTemplate ${claim} sets no storageClassName and lands on the default class ${cls.name}${definedAt(cls.name)}, a hard NFS mount.`,
          location: sts.locate(['spec', 'volumeClaimTemplates', i]),
          object: objectRef(sts),
          evidence: { storageClass: cls.name, binding: 'default', claimTemplate: claim },
          fix: `Set storageClassName in the volumeClaimTemplate (existing PVCs keep their class: recreate them to move).`,
        });
      });
    }
  },
});

export const examples: RuleExamples = {
  bad: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: truenas-nfs
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /mnt/pool/k8s}
mountOptions: [hard, nfsvers=4.1]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: storage-loki-0
  namespace: monitoring
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 50Gi}}
`,
  good: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: truenas-nfs
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /mnt/pool/k8s}
mountOptions: [hard, nfsvers=4.1]
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-path
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: rancher.io/local-path
`,
};
