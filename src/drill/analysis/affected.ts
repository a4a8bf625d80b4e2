/**
 * What a fault on one endpoint touches on this node: live NFS mounts of that server (mountinfo, with the
 * options the kernel actually uses), the workloads whose volumes come from it (the audit's inventory
 * chain volume → PVC → PV/StorageClass, plus kubelet pod-volume mount points), and the resolvers the
 * node's lookups go through.
 */
import { type MountSite, mountSites } from '../../audit/analysis/mount-sites.ts';
import { nfsVolumesOf } from '../../audit/analysis/workload-storage.ts';
import type { Inventory } from '../../audit/inventory.ts';
import type { ResolvConf } from '../../audit/sources/node/facts.ts';
import { isStubOnly, RESOLVED_STUB } from '../../audit/sources/node/resolv-conf.ts';
import type { SourceLocation } from '../../core/location.ts';
import type { Endpoint, TouchedWorkload } from '../model.ts';
import { parseTarget, sameHost } from '../target.ts';

export interface AffectedMount {
  site: MountSite;
  /** Workloads or pods on it (empty: nobody known to use it). */
  users: TouchedWorkload[];
}

/** The address the kernel connected to (mountinfo super option addr=), whatever name the source used. */
export function kernelAddr(site: MountSite): string | undefined {
  return site.options.raw.findLast((o) => o.name === 'addr')?.value;
}

/** Server names in live mounts → the address the kernel uses for them (resolves names without DNS). */
export function knownServerAddresses(inv: Inventory): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of mountSites(inv)) {
    const addr = s.origin === 'mountinfo' ? kernelAddr(s) : undefined;
    if (s.server && addr) out.set(s.server.toLowerCase(), addr);
  }
  return out;
}

/** NFS port a site uses: `port=` when written, else 2049. */
function sitePort(site: MountSite): number {
  const p = site.options.raw.findLast((o) => o.name === 'port')?.value;
  return p !== undefined && /^\d+$/.test(p) && Number(p) > 0 ? Number(p) : 2049;
}

export function affectedMounts(inv: Inventory, target: Endpoint): AffectedMount[] {
  const workloads = workloadsOf(inv, target);
  return mountSites(inv)
    .filter(
      (s) => s.origin === 'mountinfo' && (sameHost(s.server, target) || sameHost(kernelAddr(s), target)),
    )
    .filter(
      (s) =>
        target.port === undefined ||
        target.port === sitePort(s) ||
        s.options.raw.every((o) => o.name !== 'port'),
    )
    .map((site) => {
      const users: TouchedWorkload[] = [];
      if (site.podVolume)
        users.push({
          ref: `pod ${site.podVolume.pod}`,
          via: `kubelet volume ${site.podVolume.volume} mounted at ${site.mountPoint}`,
          location: site.location,
        });
      // A workload from the inventory that mounts this export is on this node only if scheduled here;
      // without a pod-volume path we can only say it may be.
      for (const w of workloads)
        if (w.export === undefined || w.export === site.exportPath) users.push(w.ref);
      return { site, users };
    });
}

/** Workloads in the inventory with an NFS volume from this server. */
export function workloadsOf(
  inv: Inventory,
  target: Endpoint,
): { ref: TouchedWorkload; export: string | undefined }[] {
  const out: { ref: TouchedWorkload; export: string | undefined }[] = [];
  for (const w of inv.workloads()) {
    for (const v of nfsVolumesOf(w, inv)) {
      if (!v.site || !sameHost(v.site.server, target)) continue;
      out.push({
        ref: {
          ref: `${w.kind} ${w.namespace ?? 'default'}/${w.name}`,
          via: `volume ${v.volumeName}: ${v.chain}`,
          location: v.location,
        },
        export: v.site.exportPath,
      });
    }
  }
  return out;
}

export interface ResolverPath {
  /** How the node's lookups travel: through the resolved stub, or straight to resolv.conf's servers. */
  via: 'resolved' | 'resolv.conf' | 'unknown';
  /** Servers tried in order (glibc: first to last unless rotate; resolved: DNS= then next on failure). */
  servers: { address: string; location?: SourceLocation | undefined }[];
  /** resolved FallbackDNS= (used only when no other server is known: resolved.conf(5)). */
  fallback: { address: string; location?: SourceLocation | undefined }[];
  /** glibc per-query timeout and attempts (defaults 5 and 2). */
  timeout: number;
  attempts: number;
  rotate: boolean;
  file: string | undefined;
}

const withPort = (a: string, port = 53) => {
  const t = parseTarget(a);
  return { ip: t.host, port: t.port ?? port };
};

/** resolved writes "ip[:port][%iface][#name]"; resolv.conf a bare IP. */
export function sameResolver(a: string, target: Endpoint): boolean {
  const p = withPort(a.split('#')[0]!.replace(/%[^\]:]*/, ''));
  return sameHost(p.ip, target) && (target.port ?? 53) === p.port;
}

export function resolverPath(inv: Inventory): ResolverPath {
  const node = inv.node;
  const etc: ResolvConf | undefined = node?.resolvConfs?.find((r) => r.path === '/etc/resolv.conf');
  const resolved = node?.resolved;
  const base = {
    timeout: etc?.timeout?.value ?? 5,
    attempts: etc?.attempts?.value ?? 2,
    rotate: etc?.rotate?.value ?? false,
    file: etc?.path,
    fallback: (resolved?.fallbackDns?.value ?? []).map((address) => ({
      address,
      location: resolved?.fallbackDns?.location,
    })),
  };
  if (etc && isStubOnly(etc)) {
    const uplink = node?.resolvConfs?.find((r) => r.path === '/run/systemd/resolve/resolv.conf');
    const dns = resolved?.dns?.value.length
      ? resolved.dns.value.map((address) => ({ address, location: resolved.dns?.location }))
      : (uplink?.nameservers ?? []).map((n) => ({ address: n.value, location: n.location }));
    return { ...base, via: 'resolved', servers: dns };
  }
  if (etc) {
    const servers = etc.nameservers
      .filter((n) => n.value !== RESOLVED_STUB)
      .slice(0, 3)
      .map((n) => ({ address: n.value, location: n.location }));
    return { ...base, via: 'resolv.conf', servers };
  }
  return { ...base, via: 'unknown', servers: [] };
}
