/** NFS-004: how long a soft mount takes to give up, against the node's tolerance for a blocked task. */
import { describeRecovery, locateEffective } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import {
  checkEachSite,
  errorAfterPhrase,
  REF,
  type RuleExamples,
  SOFT_DATA_LOSS,
  suggestBoundedOptions,
  withEdits,
} from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-error-budget',
    severity: 'medium',
    title: 'Soft NFS mount gives up later than the node tolerates a blocked task',
    description:
      'A soft/softerr mount fails an RPC with EIO/ETIMEDOUT at its major timeout: on current kernels ' +
      'min(timeo/10 × (retrans+1), 600) s over TCP and min(timeo/10 × 2^retrans, 60) s over UDP ' +
      '(net/sunrpc/xprt.c xprt_calc_majortimeo; nfs(5) "for TCP the default is 3 minutes"). Until then every ' +
      "caller waits in the kernel. When that is longer than the node's budget for a blocked task " +
      '(kernel.hung_task_timeout_secs, 120 s by default, or a watchdog timeout) the node is declared hung — ' +
      'or reboots — before the mount ever returns an error, so "soft" does not protect it. An operation that ' +
      'needs several RPCs takes a multiple of this time. Soft mounts within budget get an info finding that ' +
      'states the number.',
    fix: 'Lower timeo/retrans so timeo/10 × (retrans+1) stays well under the budget, e.g. `softerr,timeo=100,retrans=2` (30 s).',
    inputs: [
      'StorageClass mountOptions',
      'PersistentVolume mountOptions',
      'Longhorn nfsOptions',
      '/etc/fstab',
      '/etc/nfsmount.conf',
      '/proc/self/mountinfo',
    ],
    references: [REF.nfs5, REF.kernelTimeout, REF.hungTask, REF.longhorn],
  },
  check: checkEachSite((site, inventory) => {
    const budget = inventory.settings.nodeBudgetSeconds;
    const after = site.errorAfterSeconds;
    if (after === null) return undefined;
    const numbers = describeRecovery(site);
    const shared = { location: locateEffective(site, ['timeo']), evidence: { nodeBudgetSeconds: budget } };
    if (after <= budget)
      return {
        ...shared,
        severity: 'info',
        message: `${site.label}: ${numbers}, within the node's ${budget} s.`,
        fix: 'Nothing to change. Keep this number under the hung-task/watchdog budget if either changes.',
      };
    const s = suggestBoundedOptions(site, inventory);
    return {
      ...shared,
      severity: after >= 2 * budget ? 'high' : 'medium',
      message: `${site.label}: ${numbers}, over the node's ${budget} s: tasks stay blocked past the hung-task/watchdog budget before any error returns.`,
      fix: `Use ${s.options.join(',')} (${errorAfterPhrase(s.errorAfterSeconds, s.version)}). ${SOFT_DATA_LOSS}`,
    };
  }),
});

const bad = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-soft-defaults
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /mnt/pool/k8s}
mountOptions:
  - nfsvers=4.1
  - soft        # timeo=600,retrans=2 by default: errors after 180 s
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(
    bad,
    ['nfs-soft-defaults', 'nfs-soft-bounded'],
    [
      `  - soft        # timeo=600,retrans=2 by default: errors after 180 s
`,
      `  - soft
  - timeo=100   # 10 s × (2+1) = errors after 30 s
  - retrans=2
`,
    ],
  ),
};
