/** NFS-002: a pod (or workload template) mounts NFS inline, where no mount option can be set. */
import { describeRecovery } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples, withEdits } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-inline-volume',
    severity: 'high',
    title: 'Inline pod NFS volume cannot carry mount options (hard by default)',
    description:
      'A `volumes[].nfs` entry has only `server`, `path` and `readOnly`: "You can\'t specify NFS mount options ' +
      "in a Pod spec\" (Kubernetes volumes docs). kubelet mounts it with the node's defaults — the kernel's " +
      '`hard`, timeo=600, retrans=2, unless /etc/nfsmount.conf says otherwise — so a dead server blocks the ' +
      'pod and kubelet for ever (nfs(5)), and nothing in the manifest shows it. The mount also depends on ' +
      "whatever each node's nfsmount.conf happens to contain.",
    fix: 'Replace the inline volume with a PersistentVolume (`spec.nfs` + `spec.mountOptions: [nfsvers=4.1, softerr, timeo=100, retrans=2]`) and a PVC, or a CSI inline volume (`csi.driver: nfs.csi.k8s.io` with `volumeAttributes.mountOptions`).',
    inputs: [
      'Pod',
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'ReplicaSet',
      'Job',
      'CronJob',
      '/etc/nfsmount.conf',
    ],
    references: [REF.k8sVolumesNfs, REF.nfs5, REF.kernelTimeout],
  },
  check: checkEachSite((site, inventory) => {
    if (site.origin !== 'InlineVolume') return undefined;
    const conf =
      site.confDefaults.length > 0
        ? ` (node defaults from ${confOrigin(site)}: ${site.confDefaults.map((d) => d.option).join(', ')})`
        : inventory.node
          ? ' (kernel defaults; the node has no /etc/nfsmount.conf defaults)'
          : " (kernel defaults, unless the node's /etc/nfsmount.conf changes them)";
    const fromChart = site.derivedFrom?.includes('app-template values');
    return {
      severity: site.errorAfterSeconds === null ? 'high' : 'medium',
      message: `${site.label} mounts NFS ${site.server ?? '?'}:${site.exportPath ?? '?'} inline, which cannot carry mount options${conf}: ${describeRecovery(site)}.`,
      // app-template renders `type: nfs` as exactly this inline volume: say how to change it there.
      ...(fromChart
        ? {
            fix: 'In the chart values, replace `type: nfs` (server/path) with `existingClaim:` naming a PVC bound to a PersistentVolume whose `spec.mountOptions` are bounded (e.g. `nfsvers=4.1, softerr, timeo=100, retrans=2`), or set bounded node defaults in /etc/nfsmount.conf (Talos: `machine.files`). Keep hard only where the data needs it, with an NFS-aware watchdog.',
          }
        : {}),
    };
  }),
});

/** "/etc/nfsmount.conf", or the repository file that writes it (a Talos machine config). */
function confOrigin(site: { confDefaults: { location: { file: string; line?: number } }[] }): string {
  const files = [...new Set(site.confDefaults.map((d) => d.location.file))];
  if (files.every((f) => f.startsWith('/etc/nfsmount.conf'))) return '/etc/nfsmount.conf';
  const first = site.confDefaults[0]!.location;
  return `/etc/nfsmount.conf as written by ${first.file}:${first.line ?? 1}${files.length > 1 ? ` and ${files.length - 1} more file(s)` : ''}`;
}

const bad = `apiVersion: v1
kind: Pod
metadata:
  name: media
spec:
  containers:
    - name: app
      image: nginx
      volumeMounts: [{name: media, mountPath: /srv}]
  volumes:
    - name: media
      nfs:
        server: 172.16.0.10
        path: /mnt/pool/media
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, [
    `      nfs:
        server: 172.16.0.10
        path: /mnt/pool/media
`,
    `      persistentVolumeClaim:
        claimName: media   # bound to a PV whose mountOptions are soft and bounded
`,
  ]),
};
