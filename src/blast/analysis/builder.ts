/**
 * Shared assembly of a blast result: victims keep their worst impact, a node freeze pulls in every
 * unit that can share the frozen node, hostnames follow routes to victims, and the graph records each
 * relation as it is found.
 */
import {
  type BlastResult,
  type Exposure,
  type FreezeRisk,
  type GraphEdge,
  type GraphNode,
  type GraphNodeKind,
  type HostnameLoss,
  IMPACTS,
  type Impact,
  LOST,
  type NodeScope,
  type Role,
  type Target,
  type UnitRef,
  type Victim,
} from '../model.ts';
import type { Routes } from '../relations/routes.ts';
import { canShareNode, type Unit, type Units } from '../relations/units.ts';

export interface BlastContext {
  units: Units;
  routes: Routes;
  /** The node's budget for a blocked task (hung-task / watchdog), seconds. */
  budgetSeconds: number;
}

export function worse(a: Impact, b: Impact): Impact {
  return IMPACTS.indexOf(a) <= IMPACTS.indexOf(b) ? a : b;
}

export class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges: GraphEdge[] = [];
  readonly #edgeKeys = new Set<string>();

  node(kind: GraphNodeKind, label: string, impact?: Impact): string {
    const id = `${kind}:${label}`;
    const prev = this.nodes.get(id);
    if (!prev) this.nodes.set(id, { id, kind, label, impact });
    else if (impact) prev.impact = prev.impact ? worse(prev.impact, impact) : impact;
    return id;
  }

  edge(from: string, to: string, label?: string, dashed?: boolean): void {
    const key = `${from}\0${to}`;
    if (this.#edgeKeys.has(key)) return;
    this.#edgeKeys.add(key);
    this.edges.push({ from, to, ...(label ? { label } : {}), ...(dashed ? { dashed } : {}) });
  }
}

/** A victim as an analysis reports it: the builder works out its nodes and hostnames. */
interface VictimInput extends Omit<Victim, 'unit' | 'nodes' | 'hostnames'> {
  unit: Unit | UnitRef;
  /** Graph node the victim hangs off (a mount site, a feature). */
  from: string;
  edgeLabel: string;
}

export class BlastBuilder {
  readonly graph = new GraphBuilder();
  readonly exposures: Exposure[] = [];
  readonly notes: string[] = [];
  readonly order: string[] = [];
  readonly victims = new Map<string, Victim>();
  readonly root: string;
  nodeFreeze: FreezeRisk = 'none';
  freezeReason: string | undefined;
  /** Units whose hang can freeze their node (hard mounts), and host mounts that freeze the scanned node. */
  readonly freezers: (Unit | UnitRef)[] = [];

  constructor(
    readonly target: Target,
    readonly ctx: BlastContext,
  ) {
    this.root = this.graph.node('dependency', target.id);
  }

  expose(e: Exposure, kind: GraphNodeKind = 'mount'): string {
    if (!this.exposures.some((x) => x.label === e.label)) this.exposures.push(e);
    const id = this.graph.node(kind, e.label);
    this.graph.edge(this.root, id);
    return id;
  }

  victim(v: VictimInput): void {
    const unit: UnitRef = {
      id: v.unit.id,
      kind: v.unit.kind,
      name: v.unit.name,
      namespace: v.unit.namespace,
    };
    const full = isUnit(v.unit) ? v.unit : undefined;
    const prev = this.victims.get(unit.id);
    const id = this.graph.node('unit', unit.id, v.impact);
    this.graph.edge(v.from, id, v.edgeLabel, v.role !== 'direct');
    if (prev && worse(prev.impact, v.impact) === prev.impact) return;
    this.victims.set(unit.id, {
      unit,
      role: prev?.role === 'direct' ? 'direct' : v.role,
      impact: v.impact,
      how: v.how,
      certainty: v.certainty,
      via: v.via,
      location: v.location,
      nodes: full && this.ctx.units.placementKnown ? full.nodes : null,
      hostnames: [],
    });
  }

  freeze(risk: FreezeRisk, reason: string): void {
    const rank: FreezeRisk[] = ['none', 'possible', 'likely'];
    if (rank.indexOf(risk) > rank.indexOf(this.nodeFreeze)) {
      this.nodeFreeze = risk;
      this.freezeReason = reason;
    }
  }

  /** Every unit that can run on a node a freezer froze goes down with it (likely). */
  private coLocate(): NodeScope {
    const { units } = this.ctx;
    const freezers = this.freezers;
    const full = freezers.filter(isUnit);
    const hostOnly = freezers.length > full.length;
    let scope: NodeScope;
    if (units.placementKnown && !hostOnly) {
      const names = [...new Set(full.flatMap((u) => u.nodes))].sort();
      scope = {
        known: true,
        names,
        text: names.length > 0 ? names.join(', ') : 'no node (its pods are not running)',
      };
    } else {
      // Bounded: a repo with thousands of hard-mount workloads must not make a label of all of them.
      const who =
        full.length <= 3
          ? full.map((f) => f.id).join(', ')
          : `${full
              .slice(0, 2)
              .map((f) => f.id)
              .join(', ')} and ${full.length - 2} more`;
      const parts = [
        ...(full.length > 0 ? [`any node that schedules ${who}`] : []),
        ...(hostOnly ? ['the node read with --node-root'] : []),
      ];
      scope = { known: false, names: [], text: parts.join(', and ') };
    }
    if (this.nodeFreeze !== 'likely' || freezers.length === 0) return scope;
    const nodeId = this.graph.node('node', `node: ${scope.text}`, 'node-freeze');
    for (const f of freezers) this.graph.edge(this.graph.node('unit', f.id), nodeId, 'freezes', true);
    for (const u of units.list) {
      if (this.victims.has(u.id)) continue;
      let why: string;
      if (scope.known) {
        const shared = u.nodes.filter((n) => scope.names.includes(n));
        if (shared.length === 0) continue;
        why = `runs on ${shared.join(', ')}`;
      } else if (hostOnly && full.length === 0) {
        why = 'can run on that node';
      } else {
        const peer = full.find((f) => f !== u && canShareNode(f, u));
        if (!peer && full.length > 0 && !hostOnly) continue;
        why = peer ? `no scheduling constraint keeps it off ${peer.id}'s node` : 'can run on that node';
      }
      this.victim({
        unit: u,
        role: 'co-located',
        impact: 'node-freeze',
        how: `no dependency on ${this.target.id} of its own; down with the node when it freezes (${why})`,
        certainty: 'likely',
        via: [`node: ${scope.text}`],
        location: u.object.location,
        from: nodeId,
        edgeLabel: 'node freeze',
      });
    }
    return scope;
  }

  finish(summary: string): BlastResult {
    const nodes = this.coLocate();
    const hostnames = new Map<string, HostnameLoss>();
    for (const v of this.victims.values()) {
      const u = this.ctx.units.byId(v.unit.id);
      if (!u) continue;
      const uid = this.graph.node('unit', u.id);
      for (const { route, service } of this.ctx.routes.toUnit(u)) {
        const sid = this.graph.node('service', service);
        const rid = this.graph.node('route', route.label);
        this.graph.edge(uid, sid);
        this.graph.edge(sid, rid);
        for (const h of route.hostnames) {
          if (!v.hostnames.includes(h)) v.hostnames.push(h);
          this.graph.edge(rid, this.graph.node('hostname', h, v.impact));
          const prev = hostnames.get(h);
          if (prev && worse(prev.impact, v.impact) === prev.impact) {
            if (!prev.units.includes(u.id)) prev.units.push(u.id);
            continue;
          }
          hostnames.set(h, {
            hostname: h,
            impact: v.impact,
            via: `${route.label} → ${service} → ${u.id}`,
            units: [...(prev?.units ?? []), u.id],
            location: route.location,
          });
        }
      }
    }
    const victims = [...this.victims.values()].sort(
      (a, b) =>
        roleRank(a.role) - roleRank(b.role) ||
        IMPACTS.indexOf(a.impact) - IMPACTS.indexOf(b.impact) ||
        a.unit.id.localeCompare(b.unit.id),
    );
    return {
      target: this.target,
      summary,
      used: victims.length > 0 || this.exposures.length > 0,
      exposures: this.exposures,
      nodeFreeze: this.nodeFreeze,
      freezeReason: this.freezeReason,
      nodes,
      victims,
      hostnames: [...hostnames.values()].sort(
        (a, b) =>
          IMPACTS.indexOf(a.impact) - IMPACTS.indexOf(b.impact) || a.hostname.localeCompare(b.hostname),
      ),
      order: this.order,
      notes: this.notes,
      graph: { nodes: [...this.graph.nodes.values()], edges: this.graph.edges },
    };
  }
}

function roleRank(r: Role): number {
  return r === 'direct' ? 0 : r === 'dependent' ? 1 : 2;
}

function isUnit(u: Unit | UnitRef): u is Unit {
  return 'workloads' in u;
}

export function lost(v: Pick<Victim, 'impact'>): boolean {
  return LOST.has(v.impact);
}
