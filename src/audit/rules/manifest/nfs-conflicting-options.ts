/** NFS-014: the same server export mounted with different options: on a node, the first mount wins. */
import { type MountSite, mountSites, siteEvidence } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import { REF, type RuleExamples, withEdits } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-conflicting-options',
    severity: 'medium',
    title: 'Same NFS export mounted with different options',
    description:
      'With `sharecache` (the default), "the mount options from the first mount point take effect for ' +
      'subsequent concurrent mounts of the same export" (nfs(5)), and NFS options cannot be changed by a ' +
      'remount. When two PVs (or a PV and an fstab entry) point at the same server and export with different ' +
      'options, which one a pod gets depends on what mounted first on that node: a volume declared soft can ' +
      'be hard in practice, and the reverse.',
    fix: 'Give every mount of one export the same options (or use `nosharecache` deliberately, knowing it costs a separate cache per mount).',
    inputs: ['PersistentVolume (nfs, csi nfs.csi.k8s.io)', 'inline NFS volumes', '/etc/fstab'],
    references: [REF.nfs5],
  },
  check({ inventory, report }) {
    const groups = new Map<string, MountSite[]>();
    for (const site of mountSites(inventory)) {
      // Classes are templates, and mountinfo reflects what actually won: compare declarations only.
      if (site.origin === 'StorageClass' || site.origin === 'mountinfo') continue;
      if (!site.server || !site.exportPath) continue;
      const key = `${site.server}:${site.exportPath.replace(/\/+$/, '') || '/'}`;
      const list = groups.get(key) ?? [];
      list.push(site);
      groups.set(key, list);
    }
    for (const [exp, sites] of groups) {
      const prints = new Set(sites.map(fingerprint));
      if (prints.size < 2) continue;
      for (const site of sites) {
        const others = sites.filter((s) => s !== site && fingerprint(s) !== fingerprint(site));
        if (others.length === 0) continue;
        report({
          message: `${site.label} mounts ${exp} as ${fingerprint(site)}, but ${others.map((o) => `${o.label} (${fingerprint(o)})`).join('; ')} mount the same export differently: on a node the first mount's options win.`,
          location: site.location,
          object: site.object,
          evidence: { ...siteEvidence(site), export: exp, others: others.map((o) => o.label) },
        });
      }
    }
  },
});

function fingerprint(s: MountSite): string {
  const o = s.options;
  return `${o.recovery},timeo=${o.timeo},retrans=${o.retrans},${o.transport},vers=${o.version ?? 'auto'}`;
}

const bad = `apiVersion: v1
kind: PersistentVolume
metadata: {name: media-soft}
spec:
  mountOptions: [nfsvers=4.1, softerr, timeo=100, retrans=2]
  nfs: {server: 172.16.0.10, path: /mnt/pool/media}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: media-legacy}
spec:
  mountOptions: [nfsvers=4.1, hard]
  nfs: {server: 172.16.0.10, path: /mnt/pool/media}
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, [
    'mountOptions: [nfsvers=4.1, hard]',
    'mountOptions: [nfsvers=4.1, softerr, timeo=100, retrans=2]',
  ]),
};
