/**
 * The blast model: what fails when one dependency stops answering, and how. Analysis builds it from the
 * audit's Inventory; reporters (text, JSON, Mermaid, HTML) only format it.
 */
import type { InputProblem } from '../core/errors.ts';
import type { SourceLocation } from '../core/location.ts';

export const BLAST_JSON_VERSION = 1;

export type TargetKind = 'nfs' | 'dns' | 'cni';

export interface Target {
  kind: TargetKind;
  /** `nfs:truenas.home.lex.la`, `dns:172.16.0.1`, `cni`. */
  id: string;
  /** The server name or address (empty for `cni`). */
  value: string;
}

/**
 * What happens to a victim:
 * - hang: processes block in the kernel for ever (hard NFS) — the workload is down;
 * - io-errors: calls fail after a bounded time (soft/softerr NFS) — the workload sees errors;
 * - node-freeze: no dependency of its own; down because its node froze with a hard mount;
 * - cannot-start: running copies go on; a restart, reschedule, new mount or image pull fails;
 * - degraded: keeps running with a part of its function gone (lookups slow or failing).
 */
export type Impact = 'hang' | 'io-errors' | 'node-freeze' | 'cannot-start' | 'degraded';
export const IMPACTS: readonly Impact[] = ['hang', 'node-freeze', 'io-errors', 'cannot-start', 'degraded'];
/** Impacts that take a workload (and its hostnames) down, not only damage it. */
export const LOST: ReadonlySet<Impact> = new Set(['hang', 'node-freeze']);

/** direct: it uses the dependency; co-located: it shares a node that freezes; dependent: through a chain. */
export type Role = 'direct' | 'co-located' | 'dependent';

/** expected: follows from the configuration; likely: an inference (each says what would confirm it). */
export type Certainty = 'expected' | 'likely';

export type FreezeRisk = 'likely' | 'possible' | 'none';

/** A workload (or a release that renders workloads), as the blast counts them. */
export interface UnitRef {
  /** "StatefulSet monitoring/loki", "HelmRelease web/eta". */
  id: string;
  kind: string;
  name: string;
  namespace: string | undefined;
}

export interface Victim {
  unit: UnitRef;
  role: Role;
  impact: Impact;
  /** One sentence: how it fails, with the numbers. */
  how: string;
  certainty: Certainty;
  /** The relation chain that makes it a victim, outermost first. */
  via: string[];
  location: SourceLocation;
  /** Nodes it runs on (from --cluster), or null: any node that schedules it. */
  nodes: string[] | null;
  /** Hostnames that route to it. */
  hostnames: string[];
}

/** One place the dependency is configured (a mount site, a resolver line, a Helm value). */
export interface Exposure {
  label: string;
  /** e.g. "hard (implicit: no soft/softerr): I/O never returns an error …". */
  detail: string;
  location: SourceLocation;
}

export interface HostnameLoss {
  hostname: string;
  impact: Impact;
  /** "HTTPRoute web/eta → Service web/eta → Deployment web/eta". */
  via: string;
  /** Backing units by id. */
  units: string[];
  location: SourceLocation;
}

export interface NodeScope {
  /** True when placement came from live pods (--cluster). */
  known: boolean;
  names: string[];
  /** "any node that schedules StatefulSet monitoring/loki" or "k8s-cp-01". */
  text: string;
}

export type GraphNodeKind =
  | 'dependency'
  | 'mount'
  | 'feature'
  | 'unit'
  | 'service'
  | 'route'
  | 'hostname'
  | 'node';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** The worst impact on this node, when it is a victim. */
  impact?: Impact | undefined;
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string | undefined;
  /** dashed: an inferred relation (node freeze, shared node). */
  dashed?: boolean | undefined;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface BlastResult {
  target: Target;
  /** One line: what the target is and whether the scan uses it. */
  summary: string;
  /** False when nothing in the scan depends on the target: an empty blast. */
  used: boolean;
  exposures: Exposure[];
  nodeFreeze: FreezeRisk;
  /** Why the node freeze risk is what it is. */
  freezeReason: string | undefined;
  nodes: NodeScope;
  victims: Victim[];
  hostnames: HostnameLoss[];
  /** What breaks first, in order, for DNS and CNI targets (empty for NFS). */
  order: string[];
  /** Caveats that change the answer (NFSv4 soft bounds, unresolved ${VARS}, missing inputs). */
  notes: string[];
  graph: Graph;
}

export interface RankEntry {
  rank: number;
  target: Target;
  nodeFreeze: FreezeRisk;
  hostnamesLost: number;
  workloadsLost: number;
  workloadsHit: number;
  summary: string;
}

export interface BlastReport {
  version: typeof BLAST_JSON_VERSION;
  results: BlastResult[];
  /** Present for --all: every dependency found, worst first. */
  ranking: RankEntry[] | undefined;
  errors: InputProblem[];
  stats: { filesScanned: number; objects: number; units: number; routes: number; budgetSeconds: number };
}
