import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-udp.ts';
import { ruleTable } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'tcp, spelled three ways',
        fstab: 'a:/x /x nfs tcp 0 0\nb:/y /y nfs proto=tcp6 0 0\nc:/z /z nfs4 defaults 0 0\n',
      },
    ],
    invalid: [
      {
        name: 'udp option in a PV list, proto=udp from nfsmount.conf for fstab',
        yaml: `apiVersion: v1
kind: PersistentVolume
metadata: {name: old}
spec:
  mountOptions: [vers=3, udp]
  nfs: {server: 10.0.0.5, path: /old}
`,
        fstab: '10.0.0.5:/backup /mnt/backup nfs vers=3,nofail 0 0\n',
        nfsmountConf: ['proto=udp'],
        findings: [
          { severity: 'medium', file: '/etc/fstab', line: 1, message: ['over UDP (timeo=11, retrans=3)'] },
          { severity: 'medium', file: 'manifests.yaml', line: 5 },
        ],
      },
    ],
  },
  examples,
);
