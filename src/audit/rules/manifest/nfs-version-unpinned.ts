/** NFS-008: no nfsvers/vers: the client negotiates whatever the server offers today. */
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples, withEdits } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-version-unpinned',
    severity: 'low',
    title: 'NFS version not pinned',
    description:
      'Without `nfsvers=`/`vers=` the client "tries 4.2 and negotiates down" (nfs(5)), so the protocol — and ' +
      'with it locking (NLM vs in-protocol), lease and grace behaviour, and whether a soft timeout is a hard ' +
      'bound (NFSv4 soft requests time out only when the transport breaks) — depends on what the server ' +
      'offers at mount time and can change after a server upgrade.',
    fix: 'Pin the version the server is tested with, e.g. `nfsvers=4.1` or `nfsvers=4.2`.',
    inputs: [
      'StorageClass / PV mountOptions',
      'inline and CSI inline volumes',
      '/etc/fstab',
      '/etc/nfsmount.conf',
    ],
    references: [REF.nfs5, REF.nfs4Soft],
  },
  check: checkEachSite((site) => {
    // mountinfo shows the negotiated version; Longhorn pins 4.1 in its defaults.
    // Inline volumes cannot carry options at all: nfs-inline-volume says so.
    if (site.options.version !== undefined || site.origin === 'mountinfo' || site.origin === 'InlineVolume')
      return undefined;
    return {
      message: `${site.label} does not pin the NFS version (options: ${site.written.map((w) => w.text).join(',') || 'none'}): the client negotiates from 4.2 down at each mount.`,
    };
  }),
});

const bad = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: nfs}
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /k8s}
mountOptions: [softerr, timeo=100, retrans=2]
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, ['mountOptions: [softerr', 'mountOptions: [nfsvers=4.1, softerr']),
};
