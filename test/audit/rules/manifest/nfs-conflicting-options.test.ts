import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-conflicting-options.ts';
import { ruleTable } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'same export, same effective options written differently',
        yaml: `apiVersion: v1
kind: PersistentVolume
metadata: {name: a}
spec:
  mountOptions: [nfsvers=4.1, softerr, timeo=100, retrans=2]
  nfs: {server: 10.0.0.5, path: /media/}
`,
        fstab: '10.0.0.5:/media /mnt/media nfs softerr,timeo=100,retrans=2,v4.1,tcp,nofail 0 0\n',
      },
      {
        name: 'different exports',
        yaml: `apiVersion: v1
kind: PersistentVolume
metadata: {name: a}
spec:
  mountOptions: [hard]
  nfs: {server: 10.0.0.5, path: /a}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: b}
spec:
  mountOptions: [soft]
  nfs: {server: 10.0.0.5, path: /b}
`,
      },
    ],
    invalid: [
      {
        name: 'a soft PV and a hard fstab entry on the same export',
        yaml: `apiVersion: v1
kind: PersistentVolume
metadata: {name: media}
spec:
  mountOptions: [nfsvers=4.1, softerr, timeo=100, retrans=2]
  nfs: {server: 10.0.0.5, path: /media}
`,
        fstab: '10.0.0.5:/media /mnt/media nfs4 hard,vers=4.1,nofail 0 0\n',
        findings: [
          {
            severity: 'medium',
            file: '/etc/fstab',
            line: 1,
            message: ['hard,timeo=600', 'PersistentVolume media (softerr'],
          },
          { severity: 'medium', file: 'manifests.yaml', line: 5, message: ["first mount's options win"] },
        ],
      },
    ],
  },
  examples,
);
