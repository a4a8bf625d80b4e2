import { rule } from '../../../../src/audit/rules/node/watchdog-max-load-low.ts';
import { ruleTable } from './helpers.ts';

const NFS_FSTAB = 'nas:/export /srv/data nfs softerr,timeo=100,retrans=2 0 0\n';

ruleTable(
  rule,
  [
    {
      name: 'max-load-1 = 24 (the man page example) on an NFS client',
      files: {
        '/etc/watchdog.conf': 'watchdog-device = /dev/watchdog\nmax-load-1 = 24\n',
        '/etc/fstab': NFS_FSTAB,
      },
      expect: [{ file: '/etc/watchdog.conf', line: 2, has: 'max-load-1 = 24' }],
    },
    {
      name: 'max-load-1 high enough',
      files: {
        '/etc/watchdog.conf': 'watchdog-device = /dev/watchdog\nmax-load-1 = 200\n',
        '/etc/fstab': NFS_FSTAB,
      },
      expect: [],
    },
    {
      name: 'max-load-1 = 0 (off)',
      files: { '/etc/watchdog.conf': 'max-load-1 = 0\n', '/etc/fstab': NFS_FSTAB },
      expect: [],
    },
    {
      name: 'low max-load-1 but no NFS',
      files: { '/etc/watchdog.conf': 'max-load-1 = 24\n' },
      expect: [],
    },
  ],
  { '/etc/fstab': NFS_FSTAB },
);
