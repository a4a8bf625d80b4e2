/** WD-002: only systemd's RuntimeWatchdogSec, which proves PID 1 alive and nothing else. */
import { defineRule } from '../../rule.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { hasWatchdogDaemon, nodeFile, REF } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'runtime-watchdog-only',
    severity: 'info',
    title: 'Only systemd RuntimeWatchdogSec guards the node',
    description:
      'With RuntimeWatchdogSec= systemd pets the hardware watchdog from PID 1 (systemd-system.conf(5)). That ' +
      'proves PID 1 is scheduled — which stays true while kubelet, containerd and every NFS user are blocked ' +
      'on a dead mount. It reboots kernel lock-ups, not the frozen-node failure of an NFS outage.',
    fix: 'Add the watchdog daemon with a `test-binary` that checks NFS mounts and key services with a deadline.',
    inputs: [
      'systemd system.conf and system.conf.d/*.conf (/etc, /run, /usr/local/lib, /usr/lib)',
      '/etc/watchdog.conf',
    ],
    references: [REF.systemConf, REF.watchdogConf],
  },
  check({ inventory, report }) {
    const node = inventory.node;
    const rt = node?.runtimeWatchdogSec;
    if (!node || !rt || hasWatchdogDaemon(node)) return;
    report({
      message: `RuntimeWatchdogSec=${rt.value} is the only watchdog: it reboots the node only if PID 1 itself stops, not when workloads hang on NFS.`,
      location: rt.location,
      object: nodeFile(rt.location.file),
      evidence: { runtimeWatchdogSec: rt.value },
    });
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'ini',
  file: '/etc/systemd/system.conf',
  bad: '[Manager]\nRuntimeWatchdogSec=30s\n',
  good: '[Manager]\nRuntimeWatchdogSec=off\n',
};
