/** NFS-001: a hard NFS mount (written, or implied by leaving out soft/softerr). */
import { describeRecovery, locateEffective, type MountSite } from '../../analysis/mount-sites.ts';
import type { Inventory } from '../../inventory.ts';
import { defineRule } from '../../rule.ts';
import {
  checkEachSite,
  errorAfterPhrase,
  nodeMountFix,
  REF,
  type RuleExamples,
  SOFT_DATA_LOSS,
  siteWithOrigin,
  suggestBoundedOptions,
  truenasClass,
  withEdits,
} from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-hard-mount',
    severity: 'high',
    title: 'NFS mount is hard: a dead server blocks I/O for ever',
    description:
      'With `hard`, or with no `soft`/`softerr` at all (the kernel default), "NFS requests are retried ' +
      'indefinitely" (nfs(5)). Every process that touches the mount while the server is away waits in the ' +
      'kernel; the kernel only logs "server not responding, still trying" at each major timeout ' +
      '(timeo/10 × (retrans+1) s, 180 s by default, net/sunrpc/xprt.c) and starts over. On a Kubernetes node ' +
      'the waiters include kubelet and the container runtime (stat, du, mount cleanup), so the node goes ' +
      '"PLEG is not healthy" and NotReady (kubernetes#74135) and, as in the 2025-11-14 NFS → DNS → Cilium cascade (docs/case-study.md), takes unrelated ' +
      'services down with it. A hard default StorageClass is critical: every PVC without a storageClassName ' +
      'gets it.',
    fix:
      "Use `softerr` (or `soft`) with a bounded `timeo`/`retrans` that fails within the node's budget, e.g. " +
      '`softerr,timeo=100,retrans=2` (errors after 30 s). Databases that need `hard` (PostgreSQL) should move ' +
      'to block storage, or keep `hard` and get an NFS-aware watchdog. Existing PVs keep their old options: ' +
      'patch them too (see pv-mount-options-drift).',
    inputs: [
      'StorageClass mountOptions',
      'PersistentVolume spec.mountOptions / mount-options annotation / csi.volumeAttributes.mountOptions',
      'CSI inline volumes',
      'Argo CD / Flux Helm values (csi-driver-nfs storageClass)',
      '/etc/fstab',
      '/proc/self/mountinfo',
    ],
    references: [REF.nfs5, REF.kernelTimeout, REF.kubeletCascade, REF.csiNfs],
  },
  check: checkEachSite((site, inventory) => {
    if (site.options.recovery !== 'hard') return undefined;
    // Inline volumes and Longhorn nfsOptions have their own rules with a more specific fix.
    if (site.origin === 'InlineVolume' || site.driver === 'longhorn') return undefined;
    const database =
      ' For a database that needs hard, keep hard and add an NFS-aware watchdog, or move it to block storage.';
    return {
      severity: site.isDefaultClass ? 'critical' : 'high',
      message:
        `${siteWithOrigin(site)} mounts NFS ${describeRecovery(site)}` +
        (site.isDefaultClass
          ? '. It is the default StorageClass: every PVC without storageClassName gets this mount'
          : '') +
        '.',
      location: locateEffective(site, ['hard', 'soft', 'softerr']),
      fix: `${isNodeMount(site) ? nodeMountFix(site, inventory) : objectFix(site, inventory)}${database} ${SOFT_DATA_LOSS}`,
    };
  }),
});

const isNodeMount = (site: MountSite) => site.origin === 'fstab' || site.origin === 'mountinfo';

/** A Kubernetes object's options are rewritten whole (they are short and all the user's own). */
function objectFix(site: MountSite, inventory: Inventory): string {
  const suggestion = suggestBoundedOptions(site, inventory);
  return (
    `Set the options to ${suggestion.options.join(',')} (${errorAfterPhrase(suggestion.errorAfterSeconds, suggestion.version)}, instead of never)` +
    (site.origin === 'StorageClass'
      ? '; PVs already provisioned from this class keep the old options: patch them and recreate their pods.'
      : site.origin === 'PersistentVolume'
        ? `; then recreate the pods that mount it (kubectl patch pv ${site.object.name} …, see pv-mount-options-drift).`
        : '.')
  );
}

const bad = truenasClass('172.16.0.10', ['hard', 'timeo=600', 'nfsvers=4.1']);

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, [
    `  - hard
  - timeo=600
  - nfsvers=4.1
`,
    `  - nfsvers=4.1
  - softerr
  - timeo=100
  - retrans=2
`,
  ]),
};
