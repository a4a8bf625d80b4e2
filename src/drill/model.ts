/**
 * The drill's data: a plan (what is injected, what it touches, what we predict) and, after a run, the
 * observations and the verdict. Everything here is plain JSON so the JSON report is this, versioned.
 */
import type { SourceLocation } from '../core/location.ts';

/** Bumped when a field changes meaning or goes away (adding fields keeps the version). */
export const DRILL_REPORT_VERSION = 1;

/** Hard upper bound on --duration: the nft element never outlives this, whatever the caller asked. */
export const MAX_DURATION_S = 300;
export const DEFAULT_DURATION_S = 30;

export interface Endpoint {
  /** IP literal the fault matches (hostnames are resolved once, before injection). */
  ip: string;
  family: 4 | 6;
  /** undefined: every port of that address. */
  port: number | undefined;
  /** As the user wrote it. */
  given: string;
}

/** One kernel-expiring nftables element: what it matches and how long the kernel keeps it. */
export interface FaultElement {
  set: string;
  /** nft element text, e.g. "127.0.0.1 . 2049". */
  element: string;
  timeoutSeconds: number;
  /** Human description for the plan. */
  describe: string;
}

export type Expectation =
  /** Every access blocks until the fault ends. */
  | 'blocks'
  /** Errors after `afterSeconds` (per RPC). */
  | 'errors'
  /** Keeps working (another server takes over, or not affected). */
  | 'unaffected'
  /** Stops answering for the fault's duration (a resolver or server seen directly). */
  | 'unanswered'
  /** The agent raises an alert. */
  | 'alerts';

export interface Prediction {
  /** Stable id, e.g. "mount:/mnt/media", "resolver:10.0.0.2:53", "agent". */
  id: string;
  kind: 'mount' | 'resolver' | 'lookup' | 'server' | 'agent' | 'node';
  subject: string;
  expect: Expectation;
  /** Seconds after injection by which the effect should show (errors, alert), when it has a bound. */
  withinSeconds?: number | undefined;
  /** Why: the option, config line or rule behind the prediction. */
  because: string;
  /** Where the deciding setting is written. */
  evidence?: SourceLocation | undefined;
  /** Caveats that make the prediction less certain (the NFSv4 soft caveat). */
  caveats: string[];
  /** For mounts: the path the sacrificial child stats. */
  path?: string | undefined;
  /** For resolvers: "ip:port" queried directly. */
  resolver?: string | undefined;
}

export interface TouchedWorkload {
  ref: string;
  via: string;
  location?: SourceLocation | undefined;
}

export interface Refusal {
  code: 'freeze' | 'alert-path' | 'duration' | 'target';
  message: string;
  /** Overridable by a flag (freeze: --allow-freeze); the alert-path refusal never is. */
  override?: string | undefined;
}

export interface DrillPlan {
  scenario: string;
  summary: string;
  target: Endpoint;
  durationSeconds: number;
  /** nft table and elements; all expire by themselves after durationSeconds. */
  table: string;
  elements: FaultElement[];
  mounts: { label: string; mountPoint: string | undefined; options: string; location: SourceLocation }[];
  resolvers: { address: string; role: string; location?: SourceLocation | undefined }[];
  workloads: TouchedWorkload[];
  predictions: Prediction[];
  /** Set when the plan predicts the node would freeze (hard mounts with workloads on them). */
  freeze: string | undefined;
  refusals: Refusal[];
  notes: string[];
}

export interface Sample<T> {
  /** Seconds since injection (negative: before). */
  t: number;
  value: T;
}

export type MountState = 'ok' | 'error' | 'hung' | 'probe_failed';
export type LookupState = 'ok' | 'timeout' | 'servfail' | 'nxdomain' | 'refused' | 'error';

export interface Observations {
  /** Wall-clock ISO time of injection (for the report; never compared in tests). */
  injectedAt: string;
  durationSeconds: number;
  /** Seconds after injection when the element was seen gone (kernel expiry), or undefined. */
  expiredAfterSeconds: number | undefined;
  mounts: Record<string, Sample<{ state: MountState; detail: string }>[]>;
  resolvers: Record<string, Sample<{ state: LookupState; ms: number }>[]>;
  /** Node lookups through the node's own resolver path (getent in a child). */
  nodeLookups: Sample<{ ok: boolean; ms: number; detail: string }>[];
  servers: Record<string, Sample<{ state: string; ms: number }>[]>;
  dstate: Sample<number>[];
  hungTaskLines: { t: number; line: string }[];
  node: Sample<{ connectMs: number | undefined; connect: string; forkExecMs: number | undefined }>[];
  agent:
    | {
        url: string;
        samples: Sample<{ up: boolean; alertsSent: number | undefined; failing: string[] }>[];
      }
    | undefined;
}

/** Observations before the first round: every series empty, no agent unless its metrics URL is known. */
export function emptyObservations(durationSeconds: number, agentMetricsUrl?: string): Observations {
  return {
    injectedAt: '',
    durationSeconds,
    expiredAfterSeconds: undefined,
    mounts: {},
    resolvers: {},
    nodeLookups: [],
    servers: {},
    dstate: [],
    hungTaskLines: [],
    node: [],
    agent: agentMetricsUrl ? { url: agentMetricsUrl, samples: [] } : undefined,
  };
}

export type ItemStatus = 'pass' | 'fail' | 'unobserved';

export interface VerdictItem {
  id: string;
  subject: string;
  predicted: string;
  observed: string;
  status: ItemStatus;
}

export interface DrillReport {
  version: typeof DRILL_REPORT_VERSION;
  kind: 'faultline-drill';
  plan: DrillPlan;
  observations: Observations | undefined;
  verdict: { items: VerdictItem[]; pass: boolean; selfExpired: boolean | undefined } | undefined;
}
