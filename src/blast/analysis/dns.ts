/**
 * `dns:IP`: a resolver stops answering. Two kinds: a node resolver (what /etc/resolv.conf or
 * systemd-resolved send lookups to — used by mount.nfs, containerd's image pulls and host-network
 * agents such as Cilium), and the cluster DNS Service (CoreDNS, used by pods). What depends on each,
 * and in which order it breaks.
 */
import { type MountSite, mountSites } from '../../audit/analysis/mount-sites.ts';
import { nfsVolumesOf } from '../../audit/analysis/workload-storage.ts';
import { type Inventory, podSpecPath } from '../../audit/inventory.ts';
import { getArray, getRecord, getString, type K8sObject } from '../../audit/model.ts';
import { effectiveUpstreams } from '../../audit/rules/node/support.ts';
import { GLIBC_DEFAULT_TIMEOUT } from '../../audit/sources/node/resolv-conf.ts';
import { serverAddress } from '../../audit/sources/node/resolved.ts';
import type { SourceLocation } from '../../core/location.ts';
import { classifyServer } from '../../nfs/server.ts';
import type { BlastResult, Certainty, Target } from '../model.ts';
import type { Unit } from '../relations/units.ts';
import { BlastBuilder, type BlastContext } from './builder.ts';
import { isUnresolved, normalizeHost } from './nfs.ts';

/** ClusterIPs kube-dns gets by default (k3s 10.43.0.10, kubeadm 10.96.0.10) when no Service is scanned. */
export const DEFAULT_CLUSTER_DNS: Readonly<Record<string, string>> = {
  '10.43.0.10': 'k3s default kube-dns ClusterIP',
  '10.96.0.10': 'kubeadm default kube-dns ClusterIP',
};

export interface ClusterDns {
  ip: string;
  label: string;
  location: SourceLocation | undefined;
}

export function clusterDns(inv: Inventory): ClusterDns | undefined {
  for (const name of ['kube-dns', 'coredns', 'rke2-coredns-rke2-coredns']) {
    const svc = inv.get('Service', name, 'kube-system');
    const ip = getString(svc?.body, ['spec', 'clusterIP']);
    if (svc && ip && ip !== 'None')
      return {
        ip,
        label: `Service kube-system/${name} (cluster DNS)`,
        location: svc.locate(['spec', 'clusterIP']),
      };
  }
  return undefined;
}

/** Resolvers worth a what-if for --all: the node's upstreams and the cluster DNS Service. */
export function dnsTargets(inv: Inventory): string[] {
  const out: string[] = [];
  const up = inv.node ? effectiveUpstreams(inv.node) : undefined;
  for (const s of up?.servers ?? []) out.push(serverAddress(s.value));
  const c = clusterDns(inv);
  if (c) out.push(c.ip);
  return [...new Set(out)];
}

export function analyzeDns(inv: Inventory, ctx: BlastContext, ipArg: string): BlastResult {
  const ip = normalizeHost(ipArg);
  const target: Target = { kind: 'dns', id: `dns:${ip}`, value: ip };
  const b = new BlastBuilder(target, ctx);
  const cdns = clusterDns(inv);
  if ((cdns && cdns.ip === ip) || (!cdns && DEFAULT_CLUSTER_DNS[ip])) {
    const label =
      cdns?.label ?? `${ip} (${DEFAULT_CLUSTER_DNS[ip]}; assumed: no kube-dns Service in the scan)`;
    clusterDnsBlast(inv, ctx, b, label, cdns?.location ?? { file: '(default)' });
    return b.finish(`cluster DNS ${ip}: ${b.victims.size} workload(s) affected`);
  }
  const up = inv.node ? effectiveUpstreams(inv.node) : undefined;
  if (inv.node && !up?.servers.some((s) => serverAddress(s.value) === ip))
    return b.finish(
      `no resolver at ${ip}: the node read with --node-root sends lookups to ${up ? up.servers.map((s) => serverAddress(s.value)).join(', ') : 'no known server'}, and it is not the cluster DNS: empty blast`,
    );
  const mine = up?.servers.find((s) => serverAddress(s.value) === ip);
  const others = up ? up.servers.filter((s) => s !== mine) : [];
  if (mine)
    b.expose(
      { label: `node resolver ${ip} (${up!.via})`, detail: 'host DNS', location: mine.location },
      'feature',
    );
  else
    b.notes.push(
      `No node configuration was read (--node-root): ${ip} is assumed to be the nodes' only resolver. Give --node-root to check.`,
    );
  if (inv.node?.resolved?.fallbackDns && inv.node.resolved.dns?.value.length)
    b.notes.push(
      `FallbackDNS= (${inv.node.resolved.fallbackDns.value.join(' ')}) is not a failover: resolved uses it only when no other server is known (resolved.conf(5)).`,
    );
  if (others.length > 0) {
    const etc = inv.node?.resolvConfs?.[0];
    const t = etc?.timeout?.value ?? GLIBC_DEFAULT_TIMEOUT;
    b.order.push(
      `lookups that try ${ip} first wait about ${t} s (resolv.conf timeout) before ${others.map((s) => serverAddress(s.value)).join(', ')} answers: slower, not broken`,
    );
    return b.finish(
      `node resolver ${ip}: one of ${others.length + 1} upstreams — lookups slow down, nothing fails`,
    );
  }
  hostDnsBlast(inv, ctx, b, mine === undefined);
  return b.finish(`node resolver ${ip}: the only upstream — every host lookup fails ("Try again")`);
}

/** The only node resolver gone: what resolves names on the node stops working, in the order it is needed. */
function hostDnsBlast(inv: Inventory, ctx: BlastContext, b: BlastBuilder, assumed: boolean): void {
  const certainty = assumed ? 'likely' : 'expected';
  imagePullVictims(ctx, b, certainty);
  nfsByNameVictims(inv, ctx, b, certainty);
  const cilium = ciliumByNameVictim(inv, ctx, b, certainty);
  const corefile = forwardsToHost(inv);
  if (corefile)
    b.expose(
      {
        label: 'CoreDNS forwards external names to the node resolver (forward . /etc/resolv.conf)',
        detail: 'pods lose external names',
        location: corefile,
      },
      'feature',
    );
  b.order.push(
    'at once: image pulls fail ("lookup quay.io: Try again" — the first DNS symptom on 2025-11-14)' +
      (corefile ? ', and pods stop resolving external names through CoreDNS' : ''),
  );
  b.order.push('at the next pod start: NFS mounts of servers given by name');
  if (cilium)
    b.order.push(
      'at the next Cilium agent restart: the agent crashloops, then no new pod on that node gets a network',
    );
}

/** Image pulls: containerd resolves registries with the host resolver. */
function imagePullVictims(ctx: BlastContext, b: BlastBuilder, certainty: Certainty): void {
  const byRegistry = new Map<string, Unit[]>();
  for (const u of ctx.units.list)
    for (const reg of registriesOf(u)) byRegistry.set(reg, [...(byRegistry.get(reg) ?? []), u]);
  for (const [reg, units] of [...byRegistry].sort((x, y) => x[0].localeCompare(y[0]))) {
    const f = b.expose(
      {
        label: `image pulls from ${reg}`,
        detail: 'containerd resolves the registry on the node',
        location: units[0]!.object.location,
      },
      'feature',
    );
    for (const u of units)
      b.victim({
        unit: u,
        role: 'dependent',
        impact: 'cannot-start',
        how: `a pod that must pull its image (new node, new tag, imagePullPolicy Always) fails: "lookup ${reg}: Try again"; running pods go on`,
        certainty,
        via: [`image pulls from ${reg}`],
        location: u.object.location,
        from: f,
        edgeLabel: 'pull',
      });
  }
}

/** NFS servers by name: mount.nfs resolves them on the node at every (re)mount. */
function nfsByNameVictims(inv: Inventory, ctx: BlastContext, b: BlastBuilder, certainty: Certainty): void {
  const bySite = unitsBySite(inv, ctx);
  for (const s of mountSites(inv)) {
    if (!s.server || isUnresolved(s.server) || classifyServer(s.server) !== 'hostname') continue;
    const f = b.expose(
      {
        label: `NFS mounts of ${normalizeHost(s.server)} (${s.label})`,
        detail: 'mount.nfs resolves the server on the node',
        location: s.serverLocation ?? s.location,
      },
      'feature',
    );
    for (const u of bySite.get(s) ?? []) {
      b.victim({
        unit: u,
        role: 'dependent',
        impact: 'cannot-start',
        how: `a new or restarted pod cannot mount NFS from ${s.server} (the name is resolved on the node); mounts already made keep working`,
        certainty,
        via: [`NFS server by name ${s.server}`, s.label],
        location: s.serverLocation ?? s.location,
        from: f,
        edgeLabel: 'mount',
      });
    }
  }
}

/** Cilium told to reach the API server by name: its agent cannot start. Whether it is. */
function ciliumByNameVictim(
  inv: Inventory,
  ctx: BlastContext,
  b: BlastBuilder,
  certainty: Certainty,
): boolean {
  const cilium = ciliumApiHost(inv);
  if (!cilium || classifyServer(cilium.host) === 'ip') return false;
  const f = b.expose(
    {
      label: `Cilium k8sServiceHost ${cilium.host}`,
      detail: 'the agent resolves it at start-up',
      location: cilium.location,
    },
    'feature',
  );
  const u = ctx.units.of(cilium.object) ?? ctx.units.list.find((x) => /cilium/.test(x.name));
  b.victim({
    unit: u ?? {
      id: `${cilium.object.kind} ${cilium.object.namespace}/${cilium.object.name}`,
      kind: cilium.object.kind,
      name: cilium.object.name,
      namespace: cilium.object.namespace,
    },
    role: 'dependent',
    impact: 'cannot-start',
    how: `the Cilium agent cannot (re)start: "lookup ${cilium.host} … i/o timeout", crashloop (cilium#45077); while it is down no new pod on that node gets a network (CreatePodSandboxError)`,
    certainty,
    via: [`k8sServiceHost ${cilium.host}`],
    location: cilium.location,
    from: f,
    edgeLabel: 'start-up',
  });
  return true;
}

function clusterDnsBlast(
  inv: Inventory,
  ctx: BlastContext,
  b: BlastBuilder,
  label: string,
  location: SourceLocation,
): void {
  const f = b.expose({ label, detail: 'cluster DNS for pods (dnsPolicy ClusterFirst)', location }, 'feature');
  const bySite = unitsBySite(inv, ctx);
  for (const s of mountSites(inv)) {
    if (!s.server || classifyServer(s.server) !== 'cluster-dns') continue;
    for (const u of bySite.get(s) ?? []) {
      b.victim({
        unit: u,
        role: 'dependent',
        impact: 'cannot-start',
        how: `NFS server ${s.server} is a cluster DNS name: a new mount needs CoreDNS reachable from the node (csi-driver-nfs#359)`,
        certainty: 'expected',
        via: [s.label],
        location: s.serverLocation ?? s.location,
        from: f,
        edgeLabel: 'mount',
      });
    }
  }
  for (const u of ctx.units.list) {
    if (b.victims.has(u.id) || u.hostNetwork || u.workloads.length === 0) continue;
    const policy = u.workloads.map((w) => getString(w.body, [...podSpecPath(w)!, 'dnsPolicy'])).find(Boolean);
    if (policy === 'None' || policy === 'Default') continue;
    b.victim({
      unit: u,
      role: 'dependent',
      impact: 'degraded',
      how: 'its pods stop resolving Service and external names (dnsPolicy ClusterFirst); connections by IP go on',
      certainty: 'expected',
      via: [label],
      location: u.object.location,
      from: f,
      edgeLabel: 'lookups',
    });
  }
  b.order.push('at once: every name lookup from pods with dnsPolicy ClusterFirst fails');
  b.order.push('at the next pod start: NFS mounts of servers given as *.svc names');
}

/** Units that mount each site (one pass over the workloads). */
function unitsBySite(inv: Inventory, ctx: BlastContext): Map<MountSite, Unit[]> {
  const out = new Map<MountSite, Unit[]>();
  for (const w of inv.workloads()) {
    const u = ctx.units.of(w);
    if (!u) continue;
    for (const v of nfsVolumesOf(w, inv)) {
      if (!v.site) continue;
      const list = out.get(v.site) ?? [];
      if (!list.includes(u)) list.push(u);
      out.set(v.site, list);
    }
  }
  return out;
}

/** Registries a unit pulls from (workload containers; app-template `controllers.*.containers.*.image`). */
export function registriesOf(u: Unit): string[] {
  const images: string[] = [];
  for (const w of u.workloads) {
    const spec = podSpecPath(w)!;
    for (const key of ['containers', 'initContainers'])
      for (const c of getArray(w.body, [...spec, key])) {
        const img = getString(c, ['image']);
        if (img) images.push(img);
      }
  }
  if (u.workloads.length === 0) {
    const values = getRecord(u.object.body, ['spec', 'values']);
    for (const ctl of Object.values(getRecord(values, ['controllers']) ?? {}))
      for (const c of Object.values(getRecord(ctl, ['containers']) ?? {})) {
        const repo = getString(c, ['image', 'repository']);
        if (repo) images.push(repo);
      }
  }
  const regs = new Set<string>();
  for (const img of images) {
    if (isUnresolved(img)) continue;
    const first = img.split('/')[0]!;
    const host =
      img.includes('/') && /[.:]|^localhost$/.test(first) ? first.replace(/:\d+$/, '') : 'docker.io';
    if (classifyServer(host) === 'hostname') regs.add(host.toLowerCase());
  }
  return [...regs].sort();
}

function ciliumApiHost(
  inv: Inventory,
): { host: string; object: K8sObject; location: SourceLocation } | undefined {
  for (const cm of inv.ofKind('ConfigMap')) {
    if (cm.name !== 'cilium-config') continue;
    const kpr = String(getRecord(cm.body, ['data'])?.['kube-proxy-replacement'] ?? '').toLowerCase();
    const host = getString(cm.body, ['data', 'k8s-service-host'])?.trim();
    if ((kpr === 'true' || kpr === 'strict') && host)
      return { host, object: cm, location: cm.locate(['data', 'k8s-service-host']) };
  }
  return undefined;
}

function forwardsToHost(inv: Inventory): SourceLocation | undefined {
  const cm = inv.get('ConfigMap', 'coredns', 'kube-system');
  const corefile = getString(cm?.body, ['data', 'Corefile']);
  return cm && corefile && /forward\s+\.\s+\/etc\/resolv\.conf/.test(corefile)
    ? cm.locate(['data', 'Corefile'])
    : undefined;
}
