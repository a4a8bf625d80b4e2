/**
 * What an NFS server address depends on. The mount runs on the host (kubelet or the CSI node plugin
 * in the host network), so a name must be resolved by the node's resolver at every (re)mount; cluster
 * DNS names (`*.svc.cluster.local`) need CoreDNS, which itself needs the node's network and CNI
 * (csi-driver-nfs#359).
 */
export type ServerKind = 'ip' | 'cluster-dns' | 'hostname';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function classifyServer(server: string): ServerKind {
  const host = server.trim().replace(/^\[(.*)\]$/, '$1');
  if (IPV4.test(host)) return 'ip';
  // IPv6 literals are the only addresses with colons here (the export path was split off already).
  if (host.includes(':') && /^[0-9a-f:.]+$/i.test(host)) return 'ip';
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (/\.svc(\.|$)/.test(lower) || lower.endsWith('.cluster.local')) return 'cluster-dns';
  return 'hostname';
}
