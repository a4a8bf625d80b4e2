import { examples, rule } from '../../../../src/audit/rules/manifest/pv-mount-options-drift.ts';
import { claim } from '../../k8s-yaml.ts';
import { ruleTable, seedText } from './harness.ts';

const AFTER = seedText('truenas-sc-after.yaml');
const BEFORE = seedText('truenas-sc-before.yaml');
const PV = seedText('pv-six-days-later.yaml');
const LOKI = `---
${claim({
  name: 'storage-loki-0',
  namespace: 'monitoring',
  storageClassName: 'truenas-nfs',
  volumeName: 'pvc-6f1c2d3e-9a1b-4c5d-8e7f-0a1b2c3d4e5f',
  accessMode: 'ReadWriteOnce',
  storage: '50Gi',
})}---
apiVersion: v1
kind: Pod
metadata:
  name: loki-0
  namespace: monitoring
spec:
  containers: [{name: loki, image: grafana/loki:3.0.0}]
  volumes: [{name: storage, persistentVolumeClaim: {claimName: storage-loki-0}}]
`;

ruleTable(
  rule,
  {
    valid: [
      { name: 'PV provisioned from the class it still matches', yaml: `${BEFORE}---\n${PV}` },
      {
        name: 'same options in another order and split differently',
        yaml: `${AFTER}---\n${PV.replace('  - hard\n  - timeo=600\n  - nfsvers=4.1\n', '  - tcp\n  - retrans=2,timeo=100\n  - soft\n  - nfsvers=4.1\n')}`,
      },
      {
        name: 'a statically created PV (no provisioned-by) is not compared',
        yaml: `${AFTER}---\n${PV.replace('pv.kubernetes.io/provisioned-by', 'example.com/owner')}`,
      },
      { name: 'the class is not in the scan', yaml: PV },
    ],
    invalid: [
      {
        name: 'the case study: class fixed to soft, the PV found six days later still hard',
        yaml: `${AFTER}---\n${PV}${LOKI}`,
        findings: [
          {
            severity: 'medium',
            line: 60,
            name: 'pvc-6f1c2d3e-9a1b-4c5d-8e7f-0a1b2c3d4e5f',
            message: ['[hard, timeo=600, nfsvers=4.1]', '[nfsvers=4.1, soft, timeo=100, retrans=2, tcp]'],
            fix: [
              `kubectl patch pv pvc-6f1c2d3e-9a1b-4c5d-8e7f-0a1b2c3d4e5f --type=json -p '[{"op":"replace","path":"/spec/mountOptions","value":["nfsvers=4.1","soft","timeo=100","retrans=2","tcp"]}]'`,
              'recreate the pods of Pod monitoring/loki-0',
            ],
          },
        ],
      },
      {
        name: 'PV without mountOptions: "add", and the deprecated annotation is removed too',
        yaml: `${AFTER}---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-old
  annotations:
    pv.kubernetes.io/provisioned-by: nfs.csi.k8s.io
    volume.beta.kubernetes.io/mount-options: "hard"
spec:
  storageClassName: truenas-nfs
  csi: {driver: nfs.csi.k8s.io, volumeHandle: h, volumeAttributes: {server: 10.0.0.5, share: /k8s}}
`,
        findings: [
          {
            severity: 'medium',
            line: 21,
            fix: [
              `'[{"op":"add","path":"/spec/mountOptions","value":["nfsvers=4.1","soft","timeo=100","retrans=2","tcp"]},{"op":"remove","path":"/metadata/annotations/volume.beta.kubernetes.io~1mount-options"}]'`,
              'recreate the pods that mount it',
            ],
          },
        ],
      },
      {
        name: 'the class dropped its options: "remove"',
        yaml: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: nfs-client}
provisioner: k8s-sigs.io/nfs-subdir-external-provisioner
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pvc-1
  annotations: {pv.kubernetes.io/provisioned-by: k8s-sigs.io/nfs-subdir-external-provisioner}
spec:
  storageClassName: nfs-client
  mountOptions: [hard]
  nfs: {server: 10.0.0.5, path: /k8s/pvc-1}
`,
        findings: [
          { severity: 'medium', line: 13, fix: [`'[{"op":"remove","path":"/spec/mountOptions"}]'`] },
        ],
      },
    ],
  },
  examples,
);
