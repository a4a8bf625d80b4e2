/** WD-001: hard NFS mounts on a node with nothing to reboot it when they freeze it. */
import { defineRule } from '../../rule.ts';
import { WATCHDOG_CONF } from '../../sources/node/watchdog.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { hardNfsSites, hasWatchdogDaemon, nodeFile, REF } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'watchdog-missing',
    severity: 'medium',
    title: 'Hard NFS mounts on a node without a watchdog',
    description:
      'A hard NFS mount retries for ever (nfs(5)); when its server goes away, processes pile up waiting on it and ' +
      'the node can stop doing useful work while the kernel itself is still alive. Nothing brings it back: ' +
      'hung-task detection skips the killable NFS waits, and without a watchdog daemon (watchdog.conf ' +
      '`watchdog-device`) the node stays frozen until someone power-cycles it. In the 2025-11-14 NFS → DNS → Cilium cascade (docs/case-study.md) the ' +
      'hardware watchdog was what recovered the node after ~10 minutes.',
    fix:
      'Install and enable the watchdog daemon with `watchdog-device = /dev/watchdog` and `watchdog-timeout`, ' +
      'plus a `test-binary` that checks the NFS mounts with a deadline (test-timeout), or remove the hard mounts.',
    inputs: ['/etc/watchdog.conf', '/etc/fstab', '/proc/self/mountinfo', 'NFS StorageClasses and PVs'],
    references: [REF.watchdogConf, REF.nfs5, REF.killable],
  },
  check({ inventory, report }) {
    const node = inventory.node;
    if (!node || hasWatchdogDaemon(node)) return;
    const hard = hardNfsSites(inventory);
    if (hard.length === 0) return;
    const where = node.watchdog
      ? `${node.watchdog.path} names no watchdog-device`
      : `${WATCHDOG_CONF} is absent under ${node.root}`;
    report({
      message:
        `${hard.length} hard NFS mount${hard.length === 1 ? '' : 's'} (${hard
          .slice(0, 3)
          .map((h) => h.label)
          .join(', ')}` +
        `${hard.length > 3 ? ', …' : ''}) and no watchdog: ${where}. If the server goes away and the node freezes, nothing reboots it.`,
      location: node.watchdog?.device?.location ?? hard[0]!.location,
      object: nodeFile(node.watchdog?.path ?? WATCHDOG_CONF),
      evidence: {
        hardMounts: hard.map((h) => h.label),
        watchdogConf: node.watchdog ? node.watchdog.path : null,
      },
    });
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'ini',
  file: '/etc/watchdog.conf',
  bad: "# Debian's default: everything commented out\n#watchdog-device\t= /dev/watchdog\n#interval\t\t= 1\n",
  good: 'watchdog-device = /dev/watchdog\nwatchdog-timeout = 120\ninterval = 30\n',
};
