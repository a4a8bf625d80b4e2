import { examples, rule } from '../../../../src/audit/rules/manifest/pv-csi-attributes-drift.ts';
import { storageClass } from '../../k8s-yaml.ts';
import { ruleTable } from './harness.ts';

const LONGHORN = (opts: string) => `${storageClass({
  name: 'longhorn-rwx',
  provisioner: 'driver.longhorn.io',
  parameters: ['numberOfReplicas: "3"', 'nfsOptions: "vers=4.1,noresvport,softerr,timeo=100,retrans=2"'],
})}---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pvc-77}
spec:
  storageClassName: longhorn-rwx
  accessModes: [ReadWriteMany]
  csi:
    driver: driver.longhorn.io
    volumeHandle: pvc-77
    volumeAttributes:
      numberOfReplicas: "3"
      nfsOptions: "${opts}"
`;

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'Longhorn PV matching its class',
        yaml: LONGHORN('vers=4.1,noresvport,softerr,timeo=100,retrans=2'),
      },
      {
        name: 'a PV of another driver than its class (static, re-bound) is not compared',
        yaml: `${storageClass({ name: 'nfs', provisioner: 'nfs.csi.k8s.io', parameters: '{server: 10.0.0.20, share: /k8s}' })}---
apiVersion: v1
kind: PersistentVolume
metadata: {name: x}
spec:
  storageClassName: nfs
  csi: {driver: driver.longhorn.io, volumeHandle: x, volumeAttributes: {nfsOptions: "hard"}}
`,
      },
    ],
    invalid: [
      {
        name: 'Longhorn class recreated with new nfsOptions; the old PV keeps hard ones',
        yaml: LONGHORN('vers=4.1,noresvport,timeo=600,retrans=5'),
        findings: [
          {
            severity: 'medium',
            line: 20,
            message: ['volumeAttributes.nfsOptions=vers=4.1,noresvport,timeo=600,retrans=5'],
          },
        ],
      },
    ],
  },
  examples,
);
