/** WD-004: hung_task_panic relied on to recover from NFS hangs, which it cannot see. */
import { defineRule } from '../../rule.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { hardNfsSites, nodeFile, REF, sysctl } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'hung-task-panic-misses-nfs',
    severity: 'medium',
    title: 'hung_task_panic will not fire for NFS hangs: the waits are killable',
    description:
      'The hung-task detector (kernel/hung_task.c) only looks at TASK_UNINTERRUPTIBLE tasks that are not ' +
      'killable. NFS and SUNRPC waits on modern kernels are TASK_KILLABLE, so a node frozen by a dead NFS ' +
      'server may never produce "blocked for more than N seconds", and hung_task_panic never reboots it. ' +
      'Recovery needs something that tests the mounts themselves.',
    fix:
      'Keep hung_task_panic if you like, but add a watchdog `test-binary` that stats each NFS mount with a ' +
      'deadline (test-timeout) so the watchdog reboots a node whose mounts stop answering.',
    inputs: ['/proc/sys/kernel/hung_task_panic', '/etc/watchdog.conf', 'NFS mounts'],
    references: [REF.killable, REF.hungTask, REF.watchdogConf],
  },
  check({ inventory, report }) {
    const node = inventory.node;
    if (!node) return;
    const htp = sysctl(node, 'kernel.hung_task_panic');
    if (!htp || htp.value === 0) return;
    if (node.watchdog?.testBinary) return;
    const hard = hardNfsSites(inventory);
    if (hard.length === 0) return;
    report({
      message:
        `kernel.hung_task_panic=${htp.value} is the node's recovery for stuck tasks, but ${hard.length} hard NFS ` +
        `mount${hard.length === 1 ? '' : 's'} (${hard[0]!.label}${hard.length > 1 ? ', …' : ''}) wait killably and are skipped by the ` +
        'hung-task detector; no watchdog test-binary checks them.',
      location: htp.location,
      object: nodeFile(htp.location.file),
      evidence: { hungTaskPanic: htp.value, hardMounts: hard.map((h) => h.label), watchdogTestBinary: null },
    });
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'ini',
  file: '/etc/watchdog.conf',
  bad: 'watchdog-device = /dev/watchdog\nwatchdog-timeout = 120\n',
  good: 'watchdog-device = /dev/watchdog\nwatchdog-timeout = 120\ntest-binary = /usr/local/sbin/check-nfs-mounts\ntest-timeout = 30\n',
};
