/** WL-001..005 / NFS-003: workloads documented as unsafe on NFS, with advice that fits what they need. */
import { imageRepository, matchApp, type UnsafeApp } from '../../analysis/apps.ts';
import {
  describeRecovery,
  LONGHORN_DRIVER,
  type MountSite,
  siteEvidence,
  sitesOf,
} from '../../analysis/mount-sites.ts';
import { mountedVolumeNames, nfsVolumesOf } from '../../analysis/workload-storage.ts';
import { namespaceOf, podSpecPath } from '../../inventory.ts';
import { getArray, getRecord, getString, type K8sObject, objectRef } from '../../model.ts';
import { defineRule } from '../../rule.ts';
import { REF, type RuleExamples, withEdits } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-unsafe-workload',
    severity: 'high',
    title: 'Workload documented as unsafe on NFS keeps its data on NFS',
    description:
      'Some software says plainly that NFS is not for it: Prometheus ("NFS filesystems … are not supported"), ' +
      'Loki ("a bad experience"), SQLite ("fcntl() file locking is broken on many NFS implementations"; WAL ' +
      'does not work over a network filesystem), etcd (avoid network file systems). Databases are the ' +
      'opposite trap: PostgreSQL\'s "only firm requirement for using NFS … is that the file system is mounted ' +
      'using the hard option", so the reflex fix for node freezes — switch to soft — turns an outage into I/O ' +
      'errors inside the database. For them the advice is block storage, or hard plus an NFS-aware watchdog, ' +
      'never blindly soft. Detection follows workload → volume → PVC → PV/StorageClass (csi-driver-nfs, NFS ' +
      'PVs, Longhorn RWX) and inline NFS volumes; the app is recognised by image, app labels or name.',
    fix: 'Move the data to local or block storage (object storage for Loki); databases that must stay on NFS keep hard and get an NFS-aware watchdog.',
    inputs: [
      'Pod and workload templates (image, labels, volumes)',
      'PersistentVolumeClaim',
      'PersistentVolume',
      'StorageClass',
    ],
    references: [
      'Prometheus storage docs: https://prometheus.io/docs/prometheus/latest/storage/',
      'Grafana Loki filesystem storage docs',
      'PostgreSQL: https://www.postgresql.org/docs/current/creating-cluster.html (NFS)',
      'MySQL reference manual, disk issues (NFS)',
      'SQLite: https://www.sqlite.org/lockingv3.html and https://www.sqlite.org/wal.html',
      'OpenShift etcd practices (avoid network file systems)',
      REF.longhorn,
    ],
  },
  check({ inventory, report }) {
    for (const w of inventory.workloads()) {
      const specPath = podSpecPath(w)!;
      const containers = getArray(w.body, [...specPath, 'containers']);
      const found = identify(w, containers);
      if (!found) continue;
      const { app, by, container } = found;
      const mounted = mountedVolumeNames(container ? [container] : containers);
      for (const vol of nfsVolumesOf(w, inventory)) {
        if (!mounted.has(vol.volumeName)) continue;
        const hard = vol.site ? vol.site.errorAfterSeconds === null : false;
        const how = recoveryOf(vol.site);
        const ref = `${w.kind} ${namespaceOf(w)}/${w.name}`;
        let message = `${ref} runs ${app.name} (${by}) with volume ${vol.volumeName} on NFS (${vol.chain}; ${how}). ${app.upstream}.`;
        if (app.needsHard)
          message += hard
            ? ` The hard mount is what ${app.name} needs for correctness, and is also what freezes it and the node when the server goes away.`
            : ` On a soft mount an outage becomes I/O errors inside ${app.name}'s files.`;
        report({
          severity: app.severity,
          message,
          location: vol.location,
          object: objectRef(w),
          evidence: {
            app: app.id,
            recognisedBy: by,
            volume: vol.volumeName,
            chain: vol.chain,
            ...storageEvidence(vol.site),
          },
          fix: `${app.name}: ${app.advice}.`,
        });
      }
    }

    // Claims no scanned workload mounts but whose labels name the app — e.g. the PVC a Helm chart's
    // `persistence` values would create (GitOps-derived, labelled with the chart name).
    for (const pvc of inventory.ofKind('PersistentVolumeClaim')) {
      if (inventory.workloadsUsingClaim(pvc).length > 0) continue;
      const labels = getRecord(pvc.body, ['metadata', 'labels']);
      const label = ['app.kubernetes.io/name', 'app'].find((k) => typeof labels?.[k] === 'string');
      const app = label ? matchApp(String(labels![label])) : undefined;
      if (!app || !label) continue;
      const cls = inventory.classOfClaim(pvc.body);
      const pv = inventory.pvOfClaim(pvc);
      const site = sitesOf(inventory, pv)[0] ?? (pv ? undefined : sitesOf(inventory, cls.object)[0]);
      const accessModes = getArray(pvc.body, ['spec', 'accessModes']).map(String);
      const longhornRwx =
        !site &&
        getString(cls.object?.body, ['provisioner']) === LONGHORN_DRIVER &&
        accessModes.includes('ReadWriteMany');
      if (!site && !longhornRwx) continue;
      const chain = `StorageClass ${cls.name ?? '?'}${cls.binding === 'default' ? ' (default class)' : ''}${pv ? ` → PersistentVolume ${pv.name}` : ''}`;
      const how = recoveryOf(site);
      report({
        severity: app.severity,
        message: `PersistentVolumeClaim ${namespaceOf(pvc)}/${pvc.name}${pvc.derivedFrom ? ` (from ${pvc.derivedFrom})` : ''} holds ${app.name} data (label ${label}=${String(labels![label])}) on NFS (${chain}; ${how}). ${app.upstream}.`,
        location: pvc.locate(['spec', 'storageClassName']),
        object: objectRef(pvc),
        evidence: {
          app: app.id,
          recognisedBy: `label ${label}`,
          chain,
          derivedFrom: pvc.derivedFrom,
          ...storageEvidence(site),
        },
        fix: `${app.name}: ${app.advice}.`,
      });
    }
  },
});

/** How the volume fails; no site means a Longhorn RWX volume on Longhorn's own (softerr) defaults. */
function recoveryOf(site: MountSite | undefined): string {
  return site
    ? describeRecovery(site)
    : 'Longhorn RWX (share-manager NFS, softerr: I/O errors after 360 s by default)';
}

function storageEvidence(site: MountSite | undefined): Record<string, unknown> {
  return site ? siteEvidence(site) : { longhornRwx: true, errorAfterSeconds: 360 };
}

/** The first container (or, failing that, the object's labels or name) that names a catalog app. */
function identify(
  w: K8sObject,
  containers: readonly unknown[],
): { app: UnsafeApp; by: string; container: unknown } | undefined {
  for (const c of containers) {
    const image = getString(c, ['image']);
    if (image) {
      const repo = imageRepository(image);
      const app = matchApp(repo);
      if (app) return { app, by: `image ${image}`, container: c };
    }
  }
  const specPath = podSpecPath(w)!;
  const templateMeta = specPath.length > 1 ? [...specPath.slice(0, -1), 'metadata'] : ['metadata'];
  for (const labels of [
    getRecord(w.body, ['metadata', 'labels']),
    getRecord(w.body, [...templateMeta, 'labels']),
  ]) {
    for (const key of ['app.kubernetes.io/name', 'app', 'k8s-app']) {
      const v = labels?.[key];
      if (typeof v !== 'string') continue;
      const app = matchApp(v);
      if (app) return { app, by: `label ${key}=${v}`, container: undefined };
    }
  }
  const app = matchApp(w.name);
  return app ? { app, by: `name ${w.name}`, container: undefined } : undefined;
}

const bad = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: loki
  namespace: monitoring
spec:
  serviceName: loki
  selector: {matchLabels: {app: loki}}
  template:
    metadata: {labels: {app: loki}}
    spec:
      containers:
        - name: loki
          image: docker.io/grafana/loki:3.0.0
          volumeMounts: [{name: storage, mountPath: /var/loki}]
  volumeClaimTemplates:
    - metadata: {name: storage}
      spec:
        storageClassName: truenas-nfs
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 50Gi}}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: truenas-nfs}
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /mnt/pool/k8s}
mountOptions: [nfsvers=4.1, soft, timeo=100, retrans=2]
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(
    bad,
    ['storageClassName: truenas-nfs', 'storageClassName: local-path'],
    [
      `metadata: {name: truenas-nfs}
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /mnt/pool/k8s}
mountOptions: [nfsvers=4.1, soft, timeo=100, retrans=2]
`,
      `metadata: {name: local-path}
provisioner: rancher.io/local-path
`,
    ],
  ),
};
