/** NFS-019: attribute or lookup caching switched off. */
import { locateOption } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples, withEdits } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-attribute-cache-off',
    severity: 'low',
    title: 'NFS attribute or lookup cache disabled',
    description:
      '`noac`, `actimeo=0` and `lookupcache=none` make the client go to the server for attributes and ' +
      'lookups on nearly every operation (nfs(5); attribute timers default to 3–60 s). That multiplies RPCs, ' +
      'so a slow server slows every stat() on the mount, and an unavailable one blocks even operations ' +
      'that could have been served from cache (see `softreval`).',
    fix: 'Remove noac/actimeo=0/lookupcache=none unless an application really needs close-to-open-plus consistency; prefer a small actimeo (e.g. actimeo=3) over none.',
    inputs: ['StorageClass / PV mountOptions', '/etc/fstab', '/etc/nfsmount.conf', '/proc/self/mountinfo'],
    references: [REF.nfs5],
  },
  check: checkEachSite((site) => {
    const off = site.options.cacheDisabling;
    if (off.length === 0) return undefined;
    return {
      message: `${site.label} disables caching (${off.join(', ')}): every stat and lookup goes to the server, so a slow or absent server stalls more callers.`,
      location: locateOption(
        site,
        (o) => o.name === 'noac' || o.name === 'actimeo' || o.name === 'lookupcache',
      ),
      evidence: { cacheDisabling: off },
    };
  }),
});

const bad = `apiVersion: v1
kind: PersistentVolume
metadata: {name: shared}
spec:
  mountOptions: [nfsvers=4.1, softerr, timeo=100, retrans=2, noac]
  nfs: {server: 172.16.0.10, path: /mnt/pool/shared}
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, [' noac]', ' actimeo=3]']),
};
