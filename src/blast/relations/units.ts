/**
 * Units: what the blast counts as one thing that can go down. A workload object (Deployment,
 * StatefulSet, …, or a bare Pod); objects derived from a GitOps wrapper's Helm values fold into the
 * wrapper (HelmRelease, Argo CD Application, k3s HelmChart), which renders them; wrappers count as
 * units themselves, since they run pods. Where each unit runs comes from live pods (--cluster),
 * else from what its pod spec allows (nodeName, nodeSelector, required node affinity).
 */
import { type Inventory, namespaceOf, podSpecPath } from '../../audit/inventory.ts';
import { getArray, getRecord, getString, type K8sObject } from '../../audit/model.ts';
import type { UnitRef } from '../model.ts';

export const WRAPPER_KINDS: ReadonlySet<string> = new Set(['HelmRelease', 'Application', 'HelmChart']);

export interface Unit extends UnitRef {
  /** The object that defines it (the workload, or the wrapper). */
  object: K8sObject;
  /** Workload objects folded into it (a wrapper's derived workloads; itself for a workload). */
  workloads: K8sObject[];
  /** Live nodes its pods run on (from --cluster), in name order. */
  nodes: string[];
  /** Pod template labels of its workloads, for Service selectors. */
  podLabels: Record<string, string>[];
  daemon: boolean;
  hostNetwork: boolean;
}

export interface Units {
  list: Unit[];
  /** The unit an object belongs to (workload, Pod → controller, derived object → wrapper). */
  of(o: K8sObject | undefined): Unit | undefined;
  byId(id: string): Unit | undefined;
  /** True when live pods told us where units run. */
  placementKnown: boolean;
}

export function unitId(o: Pick<K8sObject, 'kind' | 'name' | 'namespace'>): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** "HelmRelease flux-system/nfs spec.values (chart …)" → the wrapper object, when the scan holds it. */
export function wrapperOf(o: K8sObject, inv: Inventory): K8sObject | undefined {
  if (o.derivedFrom === undefined) return undefined;
  const m = /^(\S+) (?:([^/\s]+)\/)?(\S+)/.exec(o.derivedFrom);
  if (!m || !WRAPPER_KINDS.has(m[1]!)) return undefined;
  return inv.get(m[1]!, m[3]!, m[2]);
}

const cache = new WeakMap<Inventory, Units>();

export function unitsOf(inv: Inventory): Units {
  const hit = cache.get(inv);
  if (hit) return hit;
  const byKey = new Map<string, Unit>();
  const byObject = new Map<K8sObject, Unit>();
  const make = (o: K8sObject): Unit => {
    const id = unitId(o);
    let u = byKey.get(id);
    if (!u) {
      u = {
        id,
        kind: o.kind,
        name: o.name,
        namespace: o.namespace,
        object: o,
        workloads: [],
        nodes: [],
        podLabels: [],
        daemon: o.kind === 'DaemonSet',
        hostNetwork: false,
      };
      byKey.set(id, u);
    }
    byObject.set(o, u);
    return u;
  };
  for (const w of inv.objects) if (WRAPPER_KINDS.has(w.kind) && w.derivedFrom === undefined) make(w);
  for (const w of inv.workloads()) {
    const owner = wrapperOf(w, inv);
    const u = owner ? make(owner) : make(w);
    byObject.set(w, u);
    u.workloads.push(w);
    u.daemon ||= w.kind === 'DaemonSet';
    const spec = podSpecPath(w)!;
    u.hostNetwork ||= getRecord(w.body, spec)?.hostNetwork === true;
    const labels = getRecord(w.body, [...spec.slice(0, -1), 'metadata', 'labels']);
    if (labels) u.podLabels.push(stringMap(labels));
  }
  // Live pods: where each unit runs. Pods owned by a controller fold into it (workloads() hides them).
  let placementKnown = false;
  for (const pod of inv.ofKind('Pod')) {
    const node = getString(pod.body, ['spec', 'nodeName']);
    const owner = inv.controllerOf(pod);
    const u = byObject.get(owner ?? pod) ?? (owner ? make(owner) : make(pod));
    byObject.set(pod, u);
    const labels = getRecord(pod.body, ['metadata', 'labels']);
    if (labels && u.podLabels.length === 0) u.podLabels.push(stringMap(labels));
    if (node === undefined) continue;
    placementKnown = true;
    if (!u.nodes.includes(node)) u.nodes.push(node);
  }
  for (const u of byKey.values()) u.nodes.sort();
  // With live pods the cluster's own workloads are in the scan: a release that folded none of them is
  // the same software counted twice (an Argo CD Application next to its Deployments), so it is dropped.
  const list = [...byKey.values()]
    .filter((u) => !(placementKnown && WRAPPER_KINDS.has(u.kind) && u.workloads.length === 0))
    .sort((a, b) => a.id.localeCompare(b.id));
  const units: Units = {
    list,
    of: (o) => {
      if (!o) return undefined;
      const direct = byObject.get(o);
      if (direct) return direct;
      const owner = wrapperOf(o, inv);
      return owner ? byObject.get(owner) : undefined;
    },
    byId: (id) => byKey.get(id),
    placementKnown,
  };
  cache.set(inv, units);
  return units;
}

function stringMap(r: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) if (v !== null && typeof v !== 'object') out[k] = String(v);
  return out;
}

/** What a pod spec says about where it may run. Taints are not in manifests; they are not modelled. */
interface Placement {
  nodeName: string | undefined;
  selector: Record<string, string>;
  /** Required node affinity `In` terms, key → allowed values (only single-term affinities). */
  allowed: Map<string, Set<string>>;
}

function placementOf(w: K8sObject): Placement {
  const spec = podSpecPath(w);
  return placementFromPodSpec(spec ? (getRecord(w.body, spec) ?? {}) : {});
}

function placementFromPodSpec(pod: Record<string, unknown>): Placement {
  const allowed = new Map<string, Set<string>>();
  const terms = getArray(pod, [
    'affinity',
    'nodeAffinity',
    'requiredDuringSchedulingIgnoredDuringExecution',
    'nodeSelectorTerms',
  ]);
  // Several terms are ORed: only a single term narrows placement in a way we can compare.
  if (terms.length === 1)
    for (const e of getArray(terms[0], ['matchExpressions'])) {
      const key = getString(e, ['key']);
      if (key && getString(e, ['operator']) === 'In')
        allowed.set(key, new Set(getArray(e, ['values']).map(String)));
    }
  return {
    nodeName: getString(pod, ['nodeName']),
    selector: stringMap(getRecord(pod, ['nodeSelector']) ?? {}),
    allowed,
  };
}

/**
 * Can a pod of `a` and a pod of `b` land on the same node? False only when their specs exclude it
 * (different nodeName, conflicting nodeSelector values, disjoint required affinity on one key).
 */
export function canShareNode(a: Unit, b: Unit): boolean {
  if (a.daemon || b.daemon) return true;
  const pa = placementsOf(a);
  const pb = placementsOf(b);
  if (pa.length === 0 || pb.length === 0) return true;
  return pa.some((x) => pb.some((y) => compatible(x, y)));
}

const placements = new WeakMap<Unit, Placement[]>();

/**
 * A unit's placements: its workloads' pod specs; for a release without rendered workloads, the pod
 * options in its values (app-template `defaultPodOptions`, most charts' top-level `nodeSelector`/`affinity`).
 */
function placementsOf(u: Unit): Placement[] {
  let p = placements.get(u);
  if (p === undefined) {
    if (u.workloads.length > 0) p = u.workloads.map(placementOf);
    else {
      const values = getRecord(u.object.body, ['spec', 'values']);
      const pod = getRecord(values, ['defaultPodOptions']) ?? values;
      p = pod && (pod.nodeSelector || pod.affinity) ? [placementFromPodSpec(pod)] : [];
    }
    placements.set(u, p);
  }
  return p;
}

function compatible(x: Placement, y: Placement): boolean {
  if (x.nodeName && y.nodeName && x.nodeName !== y.nodeName) return false;
  const constraints = (p: Placement): Map<string, Set<string>> => {
    const m = new Map(p.allowed);
    for (const [k, v] of Object.entries(p.selector)) {
      const prev = m.get(k);
      m.set(k, prev ? new Set([...prev].filter((s) => s === v)) : new Set([v]));
    }
    if (p.nodeName) m.set('kubernetes.io/hostname', new Set([p.nodeName]));
    return m;
  };
  const cx = constraints(x);
  const cy = constraints(y);
  for (const [k, vx] of cx) {
    const vy = cy.get(k);
    if (vy && ![...vx].some((v) => vy.has(v))) return false;
  }
  return true;
}

export function namespaceOfUnit(u: Unit): string {
  return namespaceOf(u.object);
}
