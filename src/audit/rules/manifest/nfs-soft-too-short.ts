/** NFS-005: a soft mount that gives up so fast that network blips become I/O errors. */
import { locateEffective, timingParams } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples, withEdits } from './support.ts';

/** Below this, a server failover, a switch reboot or a GC pause on the NAS already returns EIO. */
export const MIN_SOFT_SECONDS = 10;

export const rule = defineRule({
  meta: {
    id: 'nfs-soft-too-short',
    severity: 'medium',
    title: 'Soft NFS mount gives up within seconds: blips become I/O errors',
    description:
      `A soft/softerr mount returns EIO/ETIMEDOUT once the major timeout passes (timeo/10 × (retrans+1) s over TCP, ` +
      `timeo/10 × 2^retrans s over UDP; nfs(5), net/sunrpc/xprt.c). Under ${MIN_SOFT_SECONDS} s, an ordinary ` +
      'hiccup — a NAS failover, a busy server, a switch or link flap — fails writes in the middle of an ' +
      'operation; nfs(5) warns that soft "can cause silent data corruption in certain cases". The point of ' +
      'soft is to bound a real outage, not to fail on every delay.',
    fix: 'Raise timeo so the error time stays comfortably above normal stalls, e.g. `timeo=100,retrans=2` (30 s).',
    inputs: [
      'StorageClass / PV mountOptions',
      'Longhorn nfsOptions',
      '/etc/fstab',
      '/etc/nfsmount.conf',
      '/proc/self/mountinfo',
    ],
    references: [REF.nfs5, REF.kernelTimeout],
  },
  check: checkEachSite((site) => {
    const after = site.errorAfterSeconds;
    if (after === null || after >= MIN_SOFT_SECONDS) return undefined;
    return {
      message: `${site.label}: ${site.options.recovery} mount errors after ${after} s (${timingParams(site)}), under ${MIN_SOFT_SECONDS} s: ordinary server or network stalls will surface as I/O errors.`,
      location: locateEffective(site, ['timeo']),
    };
  }),
});

const bad = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: nfs-twitchy}
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /k8s}
mountOptions: [nfsvers=4.1, soft, timeo=10, retrans=1]   # errors after 2 s
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(
    bad,
    ['nfs-twitchy', 'nfs-bounded'],
    ['timeo=10, retrans=1]   # errors after 2 s', 'timeo=100, retrans=2]  # errors after 30 s'],
  ),
};
