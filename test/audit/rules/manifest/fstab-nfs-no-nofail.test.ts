import { examples, rule } from '../../../../src/audit/rules/manifest/fstab-nfs-no-nofail.ts';
import { ruleTable } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'nofail, bg, noauto, and non-NFS lines',
        fstab: `# <file system> <mount point> <type> <options> <dump> <pass>
UUID=0a1b2c3d / ext4 errors=remount-ro 0 1
10.0.0.5:/a /mnt/a nfs4 softerr,nofail 0 0
10.0.0.5:/b /mnt/b nfs bg,soft 0 0
10.0.0.5:/c /mnt/c nfs4 noauto 0 0
tmpfs /tmp tmpfs defaults 0 0
`,
      },
    ],
    invalid: [
      {
        name: 'defaults, and one with only a mount timeout',
        fstab: `10.0.0.5:/a /mnt/a nfs4 defaults 0 0
10.0.0.5:/b /mnt/b nfs4 softerr,x-systemd.mount-timeout=30s 0 0
`,
        findings: [
          { severity: 'medium', line: 1, message: ['no nofail/bg and no x-systemd.mount-timeout'] },
          { severity: 'medium', line: 2, message: ['no nofail/bg:'] },
        ],
      },
    ],
  },
  examples,
);
