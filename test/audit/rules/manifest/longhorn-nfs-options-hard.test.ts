import { examples, rule } from '../../../../src/audit/rules/manifest/longhorn-nfs-options-hard.ts';
import { ruleTable } from './harness.ts';

const cls = (params: string, annotations = '') => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: longhorn
${annotations}provisioner: driver.longhorn.io
parameters:
  numberOfReplicas: "3"
${params}`;

ruleTable(
  rule,
  {
    valid: [
      { name: 'no nfsOptions: Longhorn softerr defaults', yaml: cls('') },
      { name: 'nfsOptions keeping soft', yaml: cls('  nfsOptions: "vers=4.1,soft,timeo=100"\n') },
    ],
    invalid: [
      {
        name: 'nfsOptions that drop softerr (at the nfsOptions line)',
        yaml: cls('  nfsOptions: "vers=4.1,noresvport,timeo=600,retrans=5"\n'),
        findings: [
          {
            severity: 'high',
            line: 8,
            message: ['replace Longhorn', 'implicit'],
            evidence: { errorAfterSeconds: null },
          },
        ],
      },
      {
        name: 'the default class: critical',
        yaml: cls(
          '  nfsOptions: "vers=4.1,hard"\n',
          '  annotations:\n    storageclass.kubernetes.io/is-default-class: "true"\n',
        ),
        findings: [{ severity: 'critical' }],
      },
      {
        name: 'a Longhorn PV carrying hard nfsOptions',
        yaml: `apiVersion: v1
kind: PersistentVolume
metadata: {name: pvc-9}
spec:
  csi:
    driver: driver.longhorn.io
    volumeHandle: pvc-9
    volumeAttributes:
      nfsOptions: "vers=4.1,hard"
`,
        findings: [{ severity: 'high', line: 9, name: 'pvc-9' }],
      },
    ],
  },
  examples,
);
