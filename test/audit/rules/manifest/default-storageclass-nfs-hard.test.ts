import { examples, rule } from '../../../../src/audit/rules/manifest/default-storageclass-nfs-hard.ts';
import { claim, workload, yamlStream } from '../../k8s-yaml.ts';
import { ruleTable, seedText } from './harness.ts';

const BEFORE = seedText('truenas-sc-before.yaml');
const AFTER = seedText('truenas-sc-after.yaml');

const CLAIMS = `---
${yamlStream(
  claim({ name: 'storage-loki-0', namespace: 'monitoring', accessMode: 'ReadWriteOnce', storage: '50Gi' }),
  claim({
    name: 'explicit',
    namespace: 'apps',
    storageClassName: 'truenas-nfs',
    accessMode: 'ReadWriteOnce',
    storage: '1Gi',
  }),
  claim({ name: 'static-only', storageClassName: '""', volumeName: 'some-pv' }),
)}---
${workload({
  kind: 'StatefulSet',
  name: 'postgres',
  namespace: 'db',
  label: 'app: postgres',
  containers: '[{name: postgres, image: postgres:16}]',
  claimTemplates: [
    '- metadata: {name: data}',
    '  spec:',
    '    accessModes: [ReadWriteOnce]',
    '    resources: {requests: {storage: 10Gi}}',
  ],
})}`;

ruleTable(
  rule,
  {
    valid: [
      { name: "the case study's AFTER default class is soft", yaml: AFTER + CLAIMS },
      {
        name: 'a hard NFS class that is not the default',
        yaml: BEFORE.replace('storageclass.kubernetes.io/is-default-class: "true"', 'team: storage') + CLAIMS,
      },
    ],
    invalid: [
      {
        name: "the case study's BEFORE default class, and the claims that land on it without asking",
        yaml: BEFORE + CLAIMS,
        findings: [
          { severity: 'high', line: 7, name: 'truenas-nfs', message: ['default class', 'never'] },
          {
            severity: 'high',
            line: 25,
            name: 'storage-loki-0',
            message: ['monitoring/storage-loki-0', 'sets no storageClassName'],
          },
          { severity: 'high', line: 59, name: 'postgres', message: ['volumeClaimTemplate data'] },
        ],
      },
      {
        name: 'the beta default annotation counts too',
        yaml: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-client
  annotations:
    storageclass.beta.kubernetes.io/is-default-class: "true"
provisioner: cluster.local/nfs-subdir-external-provisioner
`,
        findings: [{ severity: 'high', line: 6, message: ['implicit: no soft/softerr'] }],
      },
    ],
  },
  examples,
);
