/**
 * `nfs:HOST`: every mount site the audit found for that server, who mounts it (workloads through
 * claims, inline volumes, charts' claims, host mounts), and how each fails — from the mount
 * semantics the audit already computes (src/nfs: hard → retried for ever; soft/softerr → error after
 * min(timeo/10 × (retrans+1), 600) s over TCP). A hard mount can freeze its node: then everything
 * that can run there goes down too.
 */
import {
  locateEffective,
  type MountSite,
  mountSites,
  sitesOf,
  timingParams,
} from '../../audit/analysis/mount-sites.ts';
import { nfsVolumesOf } from '../../audit/analysis/workload-storage.ts';
import type { Inventory } from '../../audit/inventory.ts';
import { getString } from '../../audit/model.ts';
import { softBoundDependsOnTransport } from '../../nfs/mount-options.ts';
import { classifyServer } from '../../nfs/server.ts';
import type { BlastResult, FreezeRisk, Impact, Target, UnitRef } from '../model.ts';
import type { Unit } from '../relations/units.ts';
import { BlastBuilder, type BlastContext } from './builder.ts';

export function normalizeHost(h: string): string {
  return h
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** Servers named by an unresolved `${VAR}` (Flux post-build substitution) are not a server. */
export function isUnresolved(server: string): boolean {
  return /\$\{[^}]*\}|\{\{/.test(server);
}

/** Distinct NFS servers the scan mounts, for --all. */
export function nfsServers(inv: Inventory): string[] {
  const out = new Set<string>();
  for (const s of mountSites(inv)) if (s.server && !isUnresolved(s.server)) out.add(normalizeHost(s.server));
  return [...out].sort();
}

interface Failure {
  impact: Impact;
  how: string;
  freeze: FreezeRisk;
  freezeReason: string | undefined;
  note: string | undefined;
}

/** How a workload on this site fails when the server stops answering. */
export function failureOf(site: MountSite, budgetSeconds: number): Failure {
  const o = site.options;
  const params = timingParams(site);
  if (site.errorAfterSeconds === null)
    return {
      impact: 'hang',
      how: `hangs: every process touching the mount blocks in the kernel (D state) for ever — hard${o.recoveryExplicit ? '' : ' (implicit: no soft/softerr)'}, "not responding, still trying" every ${site.majorTimeoutSeconds} s (${params})`,
      freeze: 'likely',
      freezeReason: `${site.label} is a hard mount: blocked tasks pile up in D state and kubelet's pod lifecycle checks stall (PLEG not healthy, kubernetes#74135); as in the 2025-11-14 cascade the node can freeze. Likely, not certain: a drill or the agent's D-state probe confirms it`,
      note: undefined,
    };
  const after = site.errorAfterSeconds;
  const errno = o.recovery === 'softerr' ? 'ETIMEDOUT' : 'EIO';
  const over = after > budgetSeconds;
  const v4 = softBoundDependsOnTransport(o);
  return {
    impact: 'io-errors',
    how: `I/O errors after ${after} s (${o.recovery}: ${errno}; ${params}); the workload fails or restarts, the node stays up${over ? `, but callers stay blocked ${after} s, past the node's ${budgetSeconds} s budget` : ''}`,
    freeze: over ? 'possible' : 'none',
    freezeReason: over
      ? `${site.label}: soft, but ${after} s before an error is past the node's ${budgetSeconds} s hung-task/watchdog budget`
      : undefined,
    note: v4
      ? `${site.label}: NFSv${o.version ?? '4 (unpinned)'} ${o.recovery} gives up after ${after} s only when the TCP connection breaks; a server that keeps accepting TCP and never answers can leave requests waiting like a hard mount, and then the hard-mount blast (node freeze) applies.`
      : undefined,
  };
}

/** The line that decides hard or soft (`hard`, `soft`, `softerr`), else the site. */
function recoveryLine(site: MountSite) {
  return locateEffective(site, ['hard', 'soft', 'softerr']);
}

/** One server's blast while it is built: its mount sites, each site's graph node, the builder. */
interface NfsBlast {
  inv: Inventory;
  ctx: BlastContext;
  b: BlastBuilder;
  host: string;
  sites: MountSite[];
  siteNode: Map<MountSite, string>;
}

/** Whether the site mounts from this (normalized) host. */
function mountsFrom(host: string, s: MountSite | undefined): s is MountSite {
  return s?.server !== undefined && normalizeHost(s.server) === host;
}

export function analyzeNfs(inv: Inventory, ctx: BlastContext, server: string): BlastResult {
  const host = normalizeHost(server);
  const target: Target = { kind: 'nfs', id: `nfs:${host}`, value: host };
  const b = new BlastBuilder(target, ctx);
  const sites = mountSites(inv).filter((s) => mountsFrom(host, s));
  const nb: NfsBlast = { inv, ctx, b, host, sites, siteNode: new Map() };
  exposeSites(nb);
  workloadVictims(nb);
  unmountedClaimVictims(nb);
  for (const s of sites) siteVictims(nb, s);
  if (sites.some((s) => classifyServer(s.server!) !== 'ip'))
    b.notes.push(
      `${host} is a name: every (re)mount also needs the node's resolver (see --target dns:IP); running mounts do not.`,
    );
  const direct = [...b.victims.values()].length;
  const summary =
    sites.length === 0
      ? `nothing in the scan mounts NFS from ${host}: empty blast`
      : `NFS server ${host}: ${sites.length} mount site(s), ${direct} workload(s) mount it`;
  return b.finish(summary);
}

/** Each mount site as an exposure (how it fails), with the notes its failure carries. */
function exposeSites({ ctx, b, sites, siteNode }: NfsBlast): void {
  for (const s of sites) {
    const f = failureOf(s, ctx.budgetSeconds);
    siteNode.set(
      s,
      b.expose({
        label: `${s.label}${s.isDefaultClass ? ' (default class)' : ''}`,
        detail: f.how,
        location: recoveryLine(s),
      }),
    );
    if (f.note && !b.notes.includes(f.note)) b.notes.push(f.note);
  }
}

/** A unit that mounts the site fails as the site does; a hard mount can freeze its node. */
function hit(nb: NfsBlast, unit: Unit | UnitRef, site: MountSite, via: string[]): void {
  const { b } = nb;
  const f = failureOf(site, nb.ctx.budgetSeconds);
  b.victim({
    unit,
    role: 'direct',
    impact: f.impact,
    how: f.how,
    certainty: 'expected',
    via,
    location: recoveryLine(site),
    from: nb.siteNode.get(site) ?? b.root,
    edgeLabel: f.impact === 'hang' ? 'hangs' : 'I/O errors',
  });
  if (f.freeze !== 'none' && f.freezeReason) {
    b.freeze(f.freeze, f.freezeReason);
    if (f.freeze === 'likely' && !b.freezers.some((x) => x.id === unit.id)) b.freezers.push(unit);
  }
}

/** Workloads, through the audit's volume → claim → PV/StorageClass chain (inline volumes included). */
function workloadVictims(nb: NfsBlast): void {
  for (const w of nb.inv.workloads()) {
    const unit = nb.ctx.units.of(w);
    if (!unit) continue;
    for (const v of nfsVolumesOf(w, nb.inv))
      if (mountsFrom(nb.host, v.site)) hit(nb, unit, v.site, [`volume ${v.volumeName}: ${v.chain}`]);
  }
}

/** Claims no workload in the scan mounts (a chart's values, a claim created by hand). */
function unmountedClaimVictims(nb: NfsBlast): void {
  const { inv, ctx } = nb;
  for (const pvc of inv.ofKind('PersistentVolumeClaim')) {
    if (inv.workloadsUsingClaim(pvc).length > 0) continue;
    const pv = inv.pvOfClaim(pvc);
    const site = pv ? sitesOf(inv, pv)[0] : sitesOf(inv, inv.classOfClaim(pvc.body).object)[0];
    if (!mountsFrom(nb.host, site)) continue;
    const owner = ctx.units.of(pvc);
    const ref: UnitRef = owner ?? {
      id: `PersistentVolumeClaim ${pvc.namespace ?? 'default'}/${pvc.name}`,
      kind: 'PersistentVolumeClaim',
      name: pvc.name,
      namespace: pvc.namespace,
    };
    hit(nb, ref, site, [
      `PVC ${pvc.namespace ?? 'default'}/${pvc.name}${owner ? '' : ' (no workload in the scan mounts it)'} → ${site.label}`,
    ]);
  }
}

/** Who a site found outside the claim chain hits: its owning object, or the pods behind a live mount. */
function siteVictims(nb: NfsBlast, s: MountSite): void {
  const { ctx, b } = nb;
  if (s.k8s && s.origin !== 'StorageClass' && s.origin !== 'PersistentVolume') {
    // A volume on an object the inventory knows as something else (a chart's values, a CRD).
    const owner = ctx.units.of(s.k8s);
    if (owner && !b.victims.has(owner.id)) hit(nb, owner, s, [s.label]);
  } else if (s.origin === 'fstab' || s.origin === 'mountinfo') liveMountVictims(nb, s);
}

/** A mount read on the node: the pod using it, the workloads claiming its PV, or the mount itself. */
function liveMountVictims(nb: NfsBlast, s: MountSite): void {
  const { inv, ctx } = nb;
  const pod = s.podVolume
    ? inv.ofKind('Pod').find((p) => getString(p.body, ['metadata', 'uid']) === s.podVolume!.pod)
    : undefined;
  const owner = pod ? ctx.units.of(pod) : undefined;
  // kubelet names a PV's mount directory after the PV: the workloads that claim it are the victims,
  // with the options the kernel really uses on this node (they may differ from the class's today).
  const pv = s.podVolume ? inv.get('PersistentVolume', s.podVolume.volume) : undefined;
  const viaPv = pv
    ? inv.claimsOfPv(pv).flatMap((c) => inv.workloadsUsingClaim(c).flatMap((w) => ctx.units.of(w) ?? []))
    : [];
  if (owner) hit(nb, owner, s, [s.label]);
  else if (viaPv.length > 0)
    for (const u of new Set(viaPv)) hit(nb, u, s, [`${s.label} → PersistentVolume ${pv!.name}`]);
  else {
    // A host mount, or a live pod volume whose pod the scan does not hold (no --cluster).
    const name = s.podVolume ? `pod ${s.podVolume.pod} volume ${s.podVolume.volume}` : (s.mountPoint ?? '?');
    hit(
      nb,
      { id: `${s.podVolume ? 'live' : 'host'} mount ${name}`, kind: 'HostMount', name, namespace: undefined },
      s,
      [s.label],
    );
  }
}
