/** Shared reading of node facts for the node rules: effective resolvers, sysctls, hard NFS sites. */
import type { ObjectRef, SourceLocation } from '../../../core/location.ts';
import { mountSites } from '../../analysis/mount-sites.ts';
import type { Inventory } from '../../inventory.ts';
import type { Located, NodeFacts, ResolvConf } from '../../sources/node/facts.ts';
import { isStubOnly } from '../../sources/node/resolv-conf.ts';
import { serverAddress } from '../../sources/node/resolved.ts';
import { numericSysctl } from '../../sources/node/sysctl.ts';

export const REF = {
  resolvedConf:
    'resolved.conf(5): FallbackDNS= "is hence only used if no other DNS server information is known"',
  resolvConf:
    'resolv.conf(5): timeout default 5 s (max 30), attempts default 2 (max 5), at most MAXNS=3 nameservers',
  k8sDns:
    'kubernetes.io: Debugging DNS Resolution (known issues: systemd-resolved stub, kubelet --resolv-conf)',
  corednsCache: 'CoreDNS plugin/cache README: serve_stale [DURATION] [REFRESH_MODE]',
  watchdogConf: 'watchdog.conf(5): watchdog-device, watchdog-timeout, max-load-1, test-binary, test-timeout',
  systemConf: 'systemd-system.conf(5): RuntimeWatchdogSec=',
  hungTask: 'Linux kernel/hung_task.c; Documentation/admin-guide/sysctl/kernel.rst (hung_task_panic, panic)',
  killable: 'Linux: TASK_KILLABLE waits are skipped by the hung-task detector; SUNRPC/NFS waits are killable',
  loadavg: 'Linux kernel/sched/loadavg.c: uninterruptible (D-state) tasks count in the load average',
  nfs5: 'nfs(5): hard mounts retry indefinitely',
} as const;

export function nodeFile(path: string): ObjectRef {
  return { kind: 'NodeFile', name: path };
}

export function etcResolvConf(node: NodeFacts): ResolvConf | undefined {
  return node.resolvConfs?.find((r) => r.path === '/etc/resolv.conf');
}

export function runResolvConf(node: NodeFacts): ResolvConf | undefined {
  return node.resolvConfs?.find((r) => r.path === '/run/systemd/resolve/resolv.conf');
}

export interface Upstreams {
  /** Distinct upstream servers the node's lookups go to (FallbackDNS= excluded). */
  servers: Located<string>[];
  /** Where the list came from, for messages. */
  via: string;
}

/**
 * The resolvers glibc (and so kubelet, containerd, image pulls) actually use: /etc/resolv.conf when it
 * lists real servers; when it points at the systemd-resolved stub, resolved's upstreams
 * (/run/systemd/resolve/resolv.conf lists them all, else DNS=). Undefined when unknowable.
 */
export function effectiveUpstreams(node: NodeFacts): Upstreams | undefined {
  const etc = etcResolvConf(node);
  if (etc && etc.nameservers.length > 0 && !isStubOnly(etc))
    return { servers: distinct(etc.nameservers.slice(0, 3)), via: etc.path };
  const run = runResolvConf(node);
  if (run && run.nameservers.length > 0) {
    // Point at the DNS= line when that is where the servers come from: that is the line to change.
    const dns = node.resolved?.dns;
    const servers = distinct(run.nameservers).map((n) =>
      dns?.value.some((d) => serverAddress(d) === serverAddress(n.value))
        ? { ...n, location: dns.location }
        : n,
    );
    return { servers, via: `${run.path} (systemd-resolved upstreams)` };
  }
  const dns = node.resolved?.dns;
  if (dns && dns.value.length > 0)
    return {
      servers: distinct(dns.value.map((v) => ({ value: v, location: dns.location }))),
      via: `DNS= in ${dns.location.file}`,
    };
  return undefined;
}

function distinct(list: Located<string>[]): Located<string>[] {
  const seen = new Set<string>();
  return list.filter((n) => {
    const a = serverAddress(n.value);
    if (seen.has(a)) return false;
    seen.add(a);
    return true;
  });
}

export function sysctl(
  node: NodeFacts,
  key: string,
): { value: number; location: SourceLocation } | undefined {
  const v = numericSysctl(node.sysctls, key);
  const raw = node.sysctls?.[key];
  return v === undefined || !raw ? undefined : { value: v, location: raw.location };
}

/** A watchdog daemon is configured when watchdog.conf names a device (the Debian default has it commented out). */
export function hasWatchdogDaemon(node: NodeFacts): boolean {
  return node.watchdog?.device !== undefined && node.watchdog.device.value !== '';
}

/** Hard NFS mounts the node has or will get: fstab, live mounts, and the NFS StorageClasses/PVs/pods it runs. */
export function hardNfsSites(inv: Inventory): { label: string; location: SourceLocation }[] {
  return mountSites(inv)
    .filter((s) => s.errorAfterSeconds === null)
    .map((s) => ({ label: s.label, location: s.location }));
}

export function anyNfsSites(inv: Inventory): boolean {
  return mountSites(inv).length > 0;
}
