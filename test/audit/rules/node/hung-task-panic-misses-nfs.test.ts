import { rule } from '../../../../src/audit/rules/node/hung-task-panic-misses-nfs.ts';
import { ruleTable } from './helpers.ts';

const HARD_FSTAB = 'nas:/export /srv/data nfs hard,vers=4.2 0 0\n';

ruleTable(
  rule,
  [
    {
      name: 'hung_task_panic=1, hard fstab NFS, no watchdog test-binary',
      files: { '/proc/sys/kernel/hung_task_panic': '1\n', '/etc/fstab': HARD_FSTAB },
      expect: [
        { file: '/proc/sys/kernel/hung_task_panic', line: 1, has: 'skipped by the hung-task detector' },
      ],
    },
    {
      name: 'watchdog without test-binary does not help',
      files: {
        '/proc/sys/kernel/hung_task_panic': '1\n',
        '/etc/fstab': HARD_FSTAB,
        '/etc/watchdog.conf': 'watchdog-device = /dev/watchdog\n',
      },
      expect: [{ file: '/proc/sys/kernel/hung_task_panic' }],
    },
    {
      name: 'watchdog test-binary checks the mounts',
      files: {
        '/proc/sys/kernel/hung_task_panic': '1\n',
        '/etc/fstab': HARD_FSTAB,
        '/etc/watchdog.conf':
          'watchdog-device = /dev/watchdog\ntest-binary = /usr/local/sbin/check-nfs\ntest-timeout = 30\n',
      },
      expect: [],
    },
    {
      name: 'no NFS mounts',
      files: { '/proc/sys/kernel/hung_task_panic': '1\n', '/etc/fstab': 'UUID=1 / ext4 defaults 0 1\n' },
      expect: [],
    },
    {
      name: 'hung_task_panic off',
      files: { '/proc/sys/kernel/hung_task_panic': '0\n', '/etc/fstab': HARD_FSTAB },
      expect: [],
    },
  ],
  { '/proc/sys/kernel/hung_task_panic': '1\n', '/etc/fstab': HARD_FSTAB },
);
