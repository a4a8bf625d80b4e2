import { rule } from '../../../../src/audit/rules/node/hung-task-panic-without-reboot.ts';
import { ruleTable } from './helpers.ts';

ruleTable(rule, [
  {
    name: 'live hung_task_panic=1 and panic=0',
    files: { '/proc/sys/kernel/hung_task_panic': '1\n', '/proc/sys/kernel/panic': '0\n' },
    expect: [{ file: '/proc/sys/kernel/hung_task_panic', line: 1 }],
  },
  {
    name: 'sysctl.d sets hung_task_panic, panic left at its default',
    files: { '/etc/sysctl.d/90-hung.conf': '# panic on hung tasks\nkernel.hung_task_panic = 1\n' },
    expect: [{ file: '/etc/sysctl.d/90-hung.conf', line: 2, has: 'unset (default 0)' }],
  },
  {
    name: 'later file wins: 99- sets panic after 10- set hung_task_panic',
    files: {
      '/etc/sysctl.d/10-hung.conf': 'kernel.hung_task_panic=1\n',
      '/etc/sysctl.d/99-panic.conf': 'kernel/panic = 10\n',
    },
    expect: [],
  },
  {
    name: 'live value wins over config: /proc says panic=10',
    files: {
      '/etc/sysctl.conf': 'kernel.hung_task_panic=1\nkernel.panic=0\n',
      '/proc/sys/kernel/panic': '10\n',
    },
    expect: [],
  },
  {
    name: 'defaults: hung_task_panic=0',
    files: {
      '/proc/sys/kernel/hung_task_panic': '0\n',
      '/proc/sys/kernel/panic': '0\n',
      '/proc/sys/kernel/hung_task_timeout_secs': '120\n',
    },
    expect: [],
  },
]);
