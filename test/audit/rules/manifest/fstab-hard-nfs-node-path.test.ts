import { examples, rule } from '../../../../src/audit/rules/manifest/fstab-hard-nfs-node-path.ts';
import { ruleTable } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'soft under kubelet, hard elsewhere, a look-alike path',
        fstab: `10.0.0.5:/k /var/lib/kubelet/shared nfs4 softerr,timeo=100,nofail 0 0
10.0.0.5:/m /srv/media nfs4 hard,nofail 0 0
10.0.0.5:/x /var/logs-archive nfs4 hard,nofail 0 0
`,
      },
    ],
    invalid: [
      {
        name: 'hard under /var/lib/containerd and exactly /var/log',
        fstab: `10.0.0.5:/c /var/lib/containerd nfs4 hard,nofail 0 0
10.0.0.5:/l /var/log/ nfs nofail 0 0
`,
        findings: [
          { severity: 'high', line: 1, message: ['/var/lib/containerd'] },
          { severity: 'high', line: 2, message: ['under /var/log', 'implicit'] },
        ],
      },
    ],
  },
  examples,
);
