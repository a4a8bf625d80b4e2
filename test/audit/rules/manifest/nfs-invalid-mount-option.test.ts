import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-invalid-mount-option.ts';
import { storageClass } from '../../k8s-yaml.ts';
import { ruleTable } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'fstab nfs4 with vers=4.1 does not contradict the implied v4',
        fstab: '10.0.0.5:/a /mnt/a nfs4 vers=4.1,softerr,nofail 0 0\n',
      },
      {
        name: 'written soft over an nfsmount.conf hard is an override',
        fstab: '10.0.0.5:/a /mnt/a nfs soft,nofail 0 0\n',
        nfsmountConf: ['Hard=True'],
      },
    ],
    invalid: [
      {
        name: 'a bad timeo at its list entry, and soft then hard',
        yaml: storageClass({
          name: 'nfs',
          provisioner: 'nfs.csi.k8s.io',
          mountOptions: ['soft', 'timeo=10s', 'hard'],
        }),
        findings: [
          { severity: 'low', line: 6, message: ['soft then hard'] },
          { severity: 'medium', line: 7, message: ['timeo=10s is invalid'] },
        ],
      },
    ],
  },
  examples,
);
