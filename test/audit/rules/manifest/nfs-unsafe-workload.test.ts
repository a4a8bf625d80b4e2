import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-unsafe-workload.ts';
import { claim, storageClass, workload, yamlStream } from '../../k8s-yaml.ts';
import { ruleTable } from './harness.ts';

const NFS = { provisioner: 'nfs.csi.k8s.io', parameters: '{server: 10.0.0.5, share: /k8s}' };
const CLASSES = yamlStream(
  storageClass({ name: 'nfs-hard', isDefault: true, ...NFS, mountOptions: '[hard, nfsvers=4.1]' }),
  storageClass({ name: 'nfs-soft', ...NFS, mountOptions: '[nfsvers=4.1, softerr, timeo=100, retrans=2]' }),
  storageClass({ name: 'longhorn', provisioner: 'driver.longhorn.io' }),
  storageClass({ name: 'local-path', provisioner: 'rancher.io/local-path' }),
);

const postgres = (cls: string) => `---
${workload({
  kind: 'StatefulSet',
  name: 'db',
  namespace: 'apps',
  label: 'app: db',
  containers: [
    '- name: postgres',
    '  image: docker.io/library/postgres:16.3',
    '  volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]',
  ],
  claimTemplates: [
    '- metadata: {name: data}',
    '  spec:',
    `    storageClassName: ${cls}`,
    '    accessModes: [ReadWriteOnce]',
    '    resources: {requests: {storage: 10Gi}}',
  ],
})}`;

const prometheusDeployment = `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: prometheus-data, namespace: monitoring}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 20Gi}}
---
${workload({
  kind: 'Deployment',
  name: 'prometheus-server',
  namespace: 'monitoring',
  flowMetadata: true,
  label: 'app: prometheus',
  containers: [
    '- name: prometheus-server',
    '  image: quay.io/prometheus/prometheus:v2.53.0',
    '  volumeMounts: [{name: storage-volume, mountPath: /data}]',
    '- name: configmap-reload',
    '  image: ghcr.io/jimmidyson/configmap-reload:v0.13.1',
  ],
  volumes: ['- name: storage-volume', '  persistentVolumeClaim: {claimName: prometheus-data}'],
})}`;

ruleTable(
  rule,
  {
    valid: [
      { name: 'PostgreSQL on local storage', yaml: CLASSES + postgres('local-path') },
      {
        name: 'Longhorn RWO is block storage, not NFS',
        yaml: CLASSES + postgres('longhorn'),
      },
      {
        name: 'a web server on NFS is not in the catalog',
        yaml: `${CLASSES}---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: html}
spec: {storageClassName: nfs-hard, accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: nginx}
spec:
  containers: [{name: nginx, image: nginx:1.27, volumeMounts: [{name: html, mountPath: /usr/share/nginx/html}]}]
  volumes: [{name: html, persistentVolumeClaim: {claimName: html}}]
`,
      },
      {
        name: 'a claim bound to a non-NFS PV, whatever the class says now',
        yaml: `${CLASSES}---
apiVersion: v1
kind: PersistentVolume
metadata: {name: local-pv}
spec:
  storageClassName: nfs-hard
  local: {path: /mnt/disk1}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: prometheus-data, namespace: monitoring}
spec: {storageClassName: nfs-hard, volumeName: local-pv}
---
apiVersion: v1
kind: Pod
metadata: {name: prometheus, namespace: monitoring}
spec:
  containers: [{name: p, image: prom/prometheus, volumeMounts: [{name: d, mountPath: /prometheus}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: prometheus-data}}]
`,
      },
    ],
    invalid: [
      {
        name: 'PostgreSQL on hard NFS: needs hard, so the advice is block storage or hard + watchdog',
        yaml: CLASSES + postgres('nfs-hard'),
        findings: [
          {
            severity: 'high',
            line: 44,
            name: 'db',
            message: [
              'PostgreSQL',
              'image docker.io/library/postgres:16.3',
              'mounted using the hard option',
              'what PostgreSQL needs',
            ],
            fix: ['block storage', 'keep `hard`', 'do not switch it to soft'],
          },
        ],
      },
      {
        name: 'PostgreSQL on soft NFS: I/O errors inside the database',
        yaml: CLASSES + postgres('nfs-soft'),
        findings: [
          {
            severity: 'high',
            message: ['soft mount an outage becomes I/O errors'],
            fix: ['do not switch it to soft'],
          },
        ],
      },
      {
        name: 'Prometheus via a PVC on the default (hard NFS) class; the sidecar is not blamed',
        yaml: CLASSES + prometheusDeployment,
        findings: [
          {
            severity: 'high',
            line: 50,
            name: 'prometheus-server',
            message: ['Prometheus', 'StorageClass nfs-hard (default class)', 'not supported'],
          },
        ],
      },
      {
        name: 'etcd on Longhorn RWX (share-manager NFS) is critical',
        yaml: `${CLASSES}---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: etcd-data, namespace: kube-system}
spec: {storageClassName: longhorn, accessModes: [ReadWriteMany], resources: {requests: {storage: 8Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: etcd-0, namespace: kube-system}
spec:
  containers: [{name: etcd, image: registry.k8s.io/etcd:3.5.15-0, volumeMounts: [{name: data, mountPath: /var/lib/etcd}]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: etcd-data}}]
`,
        findings: [
          { severity: 'critical', message: ['etcd', 'Longhorn RWX'], evidence: { longhornRwx: true } },
        ],
      },
      {
        name: 'an SQLite app recognised by its label, on an inline NFS volume',
        yaml: workload({
          kind: 'Deployment',
          name: 'media-manager',
          namespace: 'media',
          flowMetadata: true,
          label: 'app.kubernetes.io/name: sonarr',
          containers:
            '[{name: app, image: ghcr.io/example/custom:1, volumeMounts: [{name: config, mountPath: /config}]}]',
          volumes: ['- name: config', '  nfs: {server: 10.0.0.5, path: /config}'],
        }),
        findings: [
          { severity: 'high', line: 11, message: ['label app.kubernetes.io/name=sonarr', 'fcntl()'] },
        ],
      },
      {
        name: 'a chart PVC no scanned workload mounts, recognised by its app label (as GitOps values derive it)',
        yaml: `${CLASSES}---
${claim({
  name: 'loki',
  namespace: 'monitoring',
  labels: '{app.kubernetes.io/name: loki, app.kubernetes.io/instance: loki}',
  accessMode: 'ReadWriteOnce',
  storage: '50Gi',
})}---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: web-cache
  namespace: apps
  labels: {app.kubernetes.io/name: nginx}
spec: {accessModes: [ReadWriteOnce]}
`,
        findings: [
          {
            severity: 'high',
            line: 35,
            name: 'loki',
            message: [
              'holds Loki data (label app.kubernetes.io/name=loki)',
              'StorageClass nfs-hard (default class)',
            ],
          },
        ],
      },
    ],
  },
  examples,
);
