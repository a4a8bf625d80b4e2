/** WD-005: a load-average trigger that NFS D-state waiters will trip. */
import { defineRule } from '../../rule.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { anyNfsSites, nodeFile, REF } from './support.ts';

/**
 * Below this 1-minute load, an NFS outage alone can trigger a reboot: each blocked task adds one to the
 * load average, and a busy node has dozens of tasks touching a shared mount. A heuristic, stated as such.
 */
export const MIN_SAFE_MAX_LOAD_1 = 50;

export const rule = defineRule({
  meta: {
    id: 'watchdog-max-load-low',
    severity: 'low',
    title: 'watchdog max-load-1 is low for a node with NFS mounts',
    description:
      'The Linux load average counts tasks in uninterruptible sleep (kernel/sched/loadavg.c). During an NFS ' +
      'outage every task touching the mount is such a task, so the load climbs with the number of waiters, ' +
      'not with CPU use. A low watchdog `max-load-1` then reboots nodes over a short server blip, and reboots ' +
      'all NFS clients at once — a reboot storm. (Threshold here: < 50, a heuristic.)',
    fix: 'Raise max-load-1 well above the D-state load an NFS outage produces (or set 0 and use an NFS test-binary instead).',
    inputs: ['/etc/watchdog.conf'],
    references: [REF.watchdogConf, REF.loadavg],
  },
  check({ inventory, report }) {
    const wd = inventory.node?.watchdog;
    const load = wd?.maxLoad1;
    if (!wd || !load || load.value === 0 || load.value >= MIN_SAFE_MAX_LOAD_1) return;
    if (!anyNfsSites(inventory)) return;
    report({
      message: `${wd.path}: max-load-1 = ${load.value}. NFS waiters in D state raise the load average without using CPU; a server blip can make the watchdog reboot this node.`,
      location: load.location,
      object: nodeFile(wd.path),
      evidence: { maxLoad1: load.value, threshold: MIN_SAFE_MAX_LOAD_1 },
    });
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'ini',
  file: '/etc/watchdog.conf',
  bad: 'watchdog-device = /dev/watchdog\nmax-load-1 = 24\n',
  good: 'watchdog-device = /dev/watchdog\nmax-load-1 = 200\n',
};
