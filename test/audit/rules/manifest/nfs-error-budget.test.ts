import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-error-budget.ts';
import { storageClass } from '../../k8s-yaml.ts';
import { ruleTable, seed } from './harness.ts';

const sc = (opts: string) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs
provisioner: nfs.csi.k8s.io
parameters: {server: 10.0.0.5, share: /k8s}
mountOptions: [${opts}]
`;

ruleTable(
  rule,
  {
    valid: [
      { name: 'hard mounts are nfs-hard-mount territory', yaml: sc('hard, timeo=600') },
      { name: "the case study's BEFORE class (hard)", ...seed('truenas-sc-before.yaml') },
      { name: 'no NFS at all', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n' },
    ],
    invalid: [
      {
        name: "the case study's AFTER class: info with the 30 s budget, at the timeo line",
        ...seed('truenas-sc-after.yaml'),
        findings: [
          {
            severity: 'info',
            line: 17,
            message: [
              "soft: I/O errors after 30 s (timeo=100, retrans=2; NFSv4: once the connection breaks), within the node's 120 s",
            ],
            evidence: { errorAfterSeconds: 30, nodeBudgetSeconds: 120, recovery: 'soft' },
          },
        ],
      },
      {
        name: 'soft with kernel defaults: 180 s, over 120 s (medium), located at the class (no timeo written)',
        yaml: sc('soft'),
        findings: [
          {
            severity: 'medium',
            line: 7,
            message: [
              'errors after 180 s (timeo=600, retrans=2; NFSv4: once the connection breaks)',
              "over the node's 120 s",
            ],
            fix: ['timeo=100', 'errors after 30 s'],
          },
        ],
      },
      {
        name: 'Longhorn-like softerr timeo=600 retrans=5: 360 s is over twice the budget (high)',
        yaml: sc('softerr, timeo=600, retrans=5'),
        findings: [{ severity: 'high', message: ['360 s'] }],
      },
      {
        name: 'the cap: timeo=1500 retrans=5 gives 600 s, not 900 s',
        yaml: sc('soft, timeo=1500, retrans=5'),
        findings: [{ severity: 'high', message: ['600 s'], evidence: { errorAfterSeconds: 600 } }],
      },
      {
        name: 'a tighter node budget from settings',
        yaml: sc('soft, timeo=100, retrans=2'),
        settings: { nodeBudgetSeconds: 20 },
        findings: [{ severity: 'medium', message: ['30 s', "over the node's 20 s"] }],
      },
      {
        name: 'UDP: exponential back-off, 1.1 s × 2^3 = 8.8 s',
        yaml: sc('soft, proto=udp'),
        findings: [{ severity: 'info', message: ['8.8 s (timeo=11, retrans=3, udp)'] }],
      },
      {
        name: 'Longhorn nfsOptions softerr with its own numbers',
        yaml: storageClass({
          name: 'longhorn-rwx',
          provisioner: 'driver.longhorn.io',
          parameters: [
            'numberOfReplicas: "3"',
            'nfsOptions: "vers=4.1,noresvport,softerr,timeo=600,retrans=5"',
          ],
        }),
        findings: [{ severity: 'high', line: 7, message: ['softerr: I/O errors after 360 s'] }],
      },
      {
        name: 'fstab entry made soft by nfsmount.conf: timeo located in nfsmount.conf',
        fstab: '10.0.0.5:/media /mnt/media nfs nofail 0 0\n',
        nfsmountConf: ['Soft=True', 'Timeo=100', 'Retrans=2'],
        findings: [
          {
            severity: 'info',
            file: '/etc/nfsmount.conf',
            line: 3,
            message: ['30 s'],
            evidence: { nfsmountConf: ['soft', 'timeo=100', 'retrans=2'] },
          },
        ],
      },
    ],
  },
  examples,
);
