import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-intr-ignored.ts';
import { storageClass } from '../../k8s-yaml.ts';
import { ruleTable } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      { name: 'no intr', fstab: '10.0.0.5:/a /mnt/a nfs4 softerr,nofail 0 0\n' },
      {
        name: 'the kernel never shows intr in mountinfo, but a hand-written fixture line is not a declaration',
        mountinfo:
          '601 30 0:61 / /mnt/a rw,relatime shared:300 - nfs4 10.0.0.5:/a rw,vers=4.2,hard,intr,proto=tcp,timeo=600,retrans=2,addr=10.0.0.5\n',
      },
    ],
    invalid: [
      {
        name: 'intr in fstab and nointr in a StorageClass',
        fstab: '# nas\n10.0.0.5:/a /mnt/a nfs4 hard,intr,nofail 0 0\n',
        yaml: storageClass({
          name: 'nfs',
          provisioner: 'nfs.csi.k8s.io',
          mountOptions: ['nfsvers=4.1', 'nointr'],
        }),
        findings: [
          { severity: 'info', file: '/etc/fstab', line: 2, message: ['intr', '2.6.25', 'the mount is hard'] },
          { severity: 'info', file: 'manifests.yaml', line: 7, message: ['nointr'] },
        ],
      },
    ],
  },
  examples,
);
