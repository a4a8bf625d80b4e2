/** NFS-010/011: the NFS server is a DNS name, so every (re)mount needs a working resolver on the host. */

import { classifyServer } from '../../../nfs/server.ts';
import { literalIsName } from '../../analysis/substitution.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples, truenasClass, withEdits } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-server-hostname',
    severity: 'medium',
    title: 'NFS server is a hostname: mounts depend on DNS',
    description:
      'The NFS mount is performed on the node (kubelet, or the CSI node plugin in the host network), so a ' +
      "server name is resolved by the host's resolver at every mount and remount — after a reboot, a pod " +
      'move, or a lost connection. When DNS is down the mount fails or hangs, which is how an NFS outage ' +
      'and a DNS outage feed each other. A `*.svc.cluster.local` name is worse: the host resolver does not ' +
      "use CoreDNS, and CoreDNS itself needs the node's network and CNI, so such mounts fail exactly when " +
      'the cluster is recovering (csi-driver-nfs#359). IP addresses have no such dependency.',
    fix: "Use the server's IP address (for an in-cluster server, the Service's ClusterIP), or pin the name in /etc/hosts on every node.",
    inputs: [
      'StorageClass parameters.server',
      'PersistentVolume spec.nfs.server / csi.volumeAttributes.server',
      'inline and CSI inline volumes',
      '/etc/fstab',
      '/proc/self/mountinfo',
    ],
    references: [REF.csiNfsDns, REF.csiNfs, REF.nfs5],
  },
  check: checkEachSite((site) => {
    if (site.server === undefined || site.server === '') return undefined;
    const vars = site.serverVariables;
    if (vars && vars.unresolved.length > 0 && !literalIsName(site.server)) {
      // `${NAS_HOST}` from an encrypted Secret: it may be an address. Say so instead of guessing.
      return {
        severity: 'info',
        message: `${site.label} mounts NFS from ${site.server}: the value of ${vars.unresolved.map((v) => `\${${v}}`).join(', ')} is unknown (a Flux substitution the repository does not show in plain text), so whether the mount depends on DNS cannot be told.`,
        location: site.serverLocation ?? site.location,
        evidence: { serverKind: 'unknown', unresolved: vars.unresolved },
        fix: 'If the value is a name, use the IP address instead, or pin it in /etc/hosts on every node.',
      };
    }
    const kind = classifyServer(site.server);
    if (kind === 'ip') return undefined;
    return {
      severity: kind === 'cluster-dns' ? 'high' : 'medium',
      message:
        kind === 'cluster-dns'
          ? `${site.label} mounts NFS from ${site.server}, a cluster DNS name: the node must resolve it through CoreDNS, which needs the node's network and CNI — the mount fails while the cluster recovers.`
          : `${site.label} mounts NFS from ${site.server}${viaVariables(site.serverVariables)}: every mount and remount needs the host's DNS; with DNS down the volume cannot be (re)mounted.`,
      location: site.serverLocation ?? site.location,
      evidence: { serverKind: kind },
      fix:
        kind === 'cluster-dns'
          ? `Use the Service's ClusterIP (kubectl get svc -o jsonpath='{.spec.clusterIP}') or a node-reachable IP instead of ${site.server}.`
          : `Use the IP address of ${site.server}, or pin it in /etc/hosts on every node.`,
    };
  }),
});

function viaVariables(v: { written: string; unresolved: string[]; sources: string[] } | undefined): string {
  if (!v) return '';
  if (v.unresolved.length > 0) return ` (written ${v.written}; a DNS name whatever the variables hold)`;
  return ` (written ${v.written}, resolved from ${v.sources.join(', ')})`;
}

const bad = truenasClass('truenas.home.lex.la', '[nfsvers=4.1, softerr, timeo=100, retrans=2]');

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, ['server: truenas.home.lex.la', 'server: 172.16.0.10']),
};
