/** WD-003: hung_task_panic panics the kernel, and panic=0 then leaves it halted for ever. */
import { defineRule } from '../../rule.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { nodeFile, REF, sysctl } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'hung-task-panic-without-reboot',
    severity: 'high',
    title: 'kernel.hung_task_panic is on but kernel.panic=0: the node panics and never reboots',
    description:
      'With kernel.hung_task_panic ≠ 0 the kernel panics when a task stays blocked longer than ' +
      'hung_task_timeout_secs. kernel.panic is the number of seconds to wait before rebooting after a panic; ' +
      '0 (the default) means wait for ever (kernel.rst). Together they turn a stuck task into a node that is ' +
      'down until someone power-cycles it, which is worse than the hang they meant to cure.',
    fix: 'Set kernel.panic = 10 (in /etc/sysctl.d/*.conf and live with sysctl -w), or turn hung_task_panic off.',
    inputs: [
      '/proc/sys/kernel/hung_task_panic',
      '/proc/sys/kernel/panic',
      '/etc/sysctl.conf',
      '/etc/sysctl.d/*.conf',
    ],
    references: [REF.hungTask],
  },
  check({ inventory, report }) {
    const node = inventory.node;
    if (!node) return;
    const htp = sysctl(node, 'kernel.hung_task_panic');
    if (!htp || htp.value === 0) return;
    const panic = sysctl(node, 'kernel.panic');
    if (panic && panic.value !== 0) return;
    report({
      message:
        `kernel.hung_task_panic=${htp.value} with kernel.panic=${panic ? '0' : 'unset (default 0)'}: a task blocked ` +
        `for hung_task_timeout_secs panics the kernel, which then halts instead of rebooting.`,
      location: htp.location,
      object: nodeFile(htp.location.file),
      evidence: {
        hungTaskPanic: htp.value,
        panic: panic?.value ?? 0,
        panicLocation: panic?.location ?? null,
      },
    });
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'ini',
  file: '/etc/sysctl.d/90-hung-task.conf',
  bad: 'kernel.hung_task_panic = 1\n',
  good: 'kernel.hung_task_panic = 1\nkernel.panic = 10\n',
};
