import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-v4-soft-unbounded.ts';
import { ruleTable, seed } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      { name: 'hard v4', fstab: '10.0.0.5:/a /mnt/a nfs4 hard,nofail 0 0\n' },
      { name: 'soft v3', fstab: '10.0.0.5:/a /mnt/a nfs vers=3,soft,nofail 0 0\n' },
    ],
    invalid: [
      {
        name: "the case study's AFTER class (soft over 4.1)",
        ...seed('truenas-sc-after.yaml'),
        findings: [
          {
            severity: 'info',
            line: 15,
            message: ['NFSv4.1 errors after 30 s only if the TCP connection breaks'],
          },
        ],
      },
      {
        name: 'fstab nfs4 softerr without a minor version; unpinned nfs soft',
        fstab: '10.0.0.5:/a /mnt/a nfs4 softerr,nofail 0 0\n10.0.0.5:/b /mnt/b nfs soft,nofail 0 0\n',
        findings: [
          { severity: 'info', line: 1, message: ['NFSv4 errors after 180 s'] },
          { severity: 'info', line: 2, message: ['unpinned: 4.2 tried first'] },
        ],
      },
    ],
  },
  examples,
);
