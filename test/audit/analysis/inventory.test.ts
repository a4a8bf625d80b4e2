import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../../../src/audit/inventory.ts';
import { parseManifests } from '../../../src/audit/sources/yaml.ts';

// kubectl get -o yaml shaped objects: a default class, PVCs bound by volumeName and by claimRef only.
const CLUSTER = `apiVersion: v1
kind: List
items:
  - apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata:
      name: local-path
      annotations: {storageclass.kubernetes.io/is-default-class: "false"}
    provisioner: rancher.io/local-path
  - apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata:
      name: truenas-nfs
      annotations: {storageclass.kubernetes.io/is-default-class: "true"}
    provisioner: nfs.csi.k8s.io
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: data, namespace: apps}
    spec: {volumeName: pv-data, accessModes: [ReadWriteOnce]}
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: logs, namespace: apps}
    spec: {storageClassName: local-path}
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: static, namespace: apps}
    spec: {storageClassName: ""}
  - apiVersion: v1
    kind: PersistentVolume
    metadata: {name: pv-data}
    spec: {storageClassName: truenas-nfs, claimRef: {name: data, namespace: apps}}
  - apiVersion: v1
    kind: PersistentVolume
    metadata: {name: pv-logs}
    spec: {storageClassName: local-path, claimRef: {name: logs, namespace: apps}}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: apps}
    spec:
      template:
        spec:
          containers: [{name: web, image: nginx}]
          volumes:
            - {name: d, persistentVolumeClaim: {claimName: data}}
            - {name: l, persistentVolumeClaim: {claimName: logs}}
            - {name: m, persistentVolumeClaim: {claimName: missing}}
  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: report, namespace: apps}
    spec:
      jobTemplate:
        spec:
          template:
            spec:
              containers: [{name: r, image: busybox}]
              volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db, namespace: apps}
    spec:
      template: {spec: {containers: [{name: pg, image: postgres}]}}
      volumeClaimTemplates:
        - metadata: {name: pgdata}
          spec: {accessModes: [ReadWriteOnce]}
`;

describe('Inventory relations', () => {
  const parsed = parseManifests(CLUSTER, 'cluster.yaml');
  const inv = new Inventory(parsed.objects, undefined);

  it('finds the default class by annotation value, not by presence', () => {
    assert.deepEqual(
      inv.defaultStorageClasses().map((s) => s.name),
      ['truenas-nfs'],
    );
  });

  it('resolves PVC → class: explicit, default when absent, none for ""', () => {
    const cls = (name: string) => inv.classOfClaim(inv.get('PersistentVolumeClaim', name, 'apps')!.body);
    assert.deepEqual(
      { ...cls('data'), object: undefined },
      { name: 'truenas-nfs', object: undefined, binding: 'default' },
    );
    assert.equal(cls('logs').binding, 'explicit');
    assert.equal(cls('logs').object?.name, 'local-path');
    assert.equal(cls('static').binding, 'none');
  });

  it('resolves PVC → PV by volumeName and by the PV claimRef, and PV → PVCs back', () => {
    assert.equal(inv.pvOfClaim(inv.get('PersistentVolumeClaim', 'data', 'apps')!)?.name, 'pv-data');
    assert.equal(inv.pvOfClaim(inv.get('PersistentVolumeClaim', 'logs', 'apps')!)?.name, 'pv-logs');
    assert.deepEqual(
      inv.claimsOfPv(inv.get('PersistentVolume', 'pv-data')!).map((c) => c.name),
      ['data'],
    );
    assert.equal(inv.classOfPv(inv.get('PersistentVolume', 'pv-logs')!)?.name, 'local-path');
  });

  it('resolves workload → claims (incl. CronJob templates and StatefulSet claim templates)', () => {
    const web = inv.claimsOf(inv.get('Deployment', 'web', 'apps')!);
    assert.deepEqual(
      web.map((c) => [c.claimName, c.pv?.name, c.storageClassName, c.binding]),
      [
        ['data', 'pv-data', 'truenas-nfs', 'default'],
        ['logs', 'pv-logs', 'local-path', 'explicit'],
        ['missing', undefined, undefined, 'unknown'],
      ],
    );
    assert.equal(inv.claimsOf(inv.get('CronJob', 'report', 'apps')!)[0]?.pv?.name, 'pv-data');
    const db = inv.claimsOf(inv.get('StatefulSet', 'db', 'apps')!);
    assert.deepEqual(
      db.map((c) => [c.claimName, c.storageClassName, c.binding, c.template?.path.join('.')]),
      [['pgdata', 'truenas-nfs', 'default', 'spec.volumeClaimTemplates.0']],
    );
    assert.deepEqual(
      inv.workloadsUsingClaim(inv.get('PersistentVolumeClaim', 'data', 'apps')!).map((w) => w.name),
      ['web', 'report'],
    );
  });

  it('reports a workload once: Pods controlled by a workload in the scan are left to the template', () => {
    const p = parseManifests(
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps}
spec: {template: {spec: {containers: [{name: c, image: nginx}]}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d9f8b6c5d-x2x9q
  namespace: apps
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f8b6c5d, uid: 1, controller: true}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: orphan-abc
  namespace: apps
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: gone-5f6d7, uid: 2, controller: true}
spec: {containers: [{name: c, image: nginx}]}
`,
      'dump.yaml',
    );
    const i = new Inventory(p.objects, undefined);
    assert.deepEqual(
      i.workloads().map((w) => w.name),
      ['web', 'orphan-abc'],
    );
  });

  it('links StatefulSet claim templates to the PVCs the controller created (<template>-<sts>-<n>)', () => {
    const p = parseManifests(
      `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: loki, namespace: monitoring}
spec:
  template: {spec: {containers: [{name: loki, image: grafana/loki}]}}
  volumeClaimTemplates: [{metadata: {name: storage}, spec: {}}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: storage-loki-1, namespace: monitoring}
spec: {volumeName: pv-1}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: storage-loki-0, namespace: monitoring}
spec: {volumeName: pv-0}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: storage-loki-canary-0, namespace: monitoring}
spec: {}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-0}
spec: {nfs: {server: 10.0.0.5, path: /x}}
`,
      'sts.yaml',
    );
    const i = new Inventory(p.objects, undefined);
    const sts = i.get('StatefulSet', 'loki', 'monitoring')!;
    assert.deepEqual(
      i.claimsOfTemplate('monitoring', 'storage', 'loki').map((c) => c.name),
      ['storage-loki-0', 'storage-loki-1'],
    );
    const [use] = i.claimsOf(sts);
    assert.equal(use?.pvc?.name, 'storage-loki-0');
    assert.equal(use?.pv?.name, 'pv-0');
    assert.deepEqual(
      i
        .workloadsUsingClaim(i.get('PersistentVolumeClaim', 'storage-loki-1', 'monitoring')!)
        .map((w) => w.name),
      ['loki'],
    );
    assert.deepEqual(
      i.workloadsUsingClaim(i.get('PersistentVolumeClaim', 'storage-loki-canary-0', 'monitoring')!),
      [],
    );
  });

  it('treats objects without a namespace as "default" for lookups', () => {
    const p = parseManifests(
      `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: c}
spec: {}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  containers: [{name: c, image: x}]
  volumes: [{name: v, persistentVolumeClaim: {claimName: c}}]
`,
      'f.yaml',
    );
    const i = new Inventory(p.objects, undefined);
    assert.equal(i.claimsOf(i.get('Pod', 'p', 'default')!)[0]?.pvc?.name, 'c');
  });
});
