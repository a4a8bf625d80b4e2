import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-attribute-cache-off.ts';
import { ruleTable } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'small actimeo and lookupcache=pos',
        fstab: '10.0.0.5:/a /mnt/a nfs4 actimeo=3,lookupcache=pos,nofail 0 0\n',
      },
    ],
    invalid: [
      {
        name: 'noac in fstab, lookupcache=none in a live mount',
        fstab: '10.0.0.5:/a /mnt/a nfs4 noac,nofail 0 0\n',
        mountinfo:
          '601 30 0:61 / /mnt/b rw,relatime - nfs4 10.0.0.5:/b rw,vers=4.2,softerr,lookupcache=none,proto=tcp,timeo=100,retrans=2\n',
        findings: [
          { severity: 'low', file: '/etc/fstab', line: 1, message: ['noac'] },
          { severity: 'low', file: '/proc/self/mountinfo', line: 1, message: ['lookupcache=none'] },
        ],
      },
    ],
  },
  examples,
);
