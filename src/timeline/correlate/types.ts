import type { Severity } from '../../core/severity.ts';
import type { LogRecord, SourceRef, UnparsedLine } from '../record.ts';
import type { SignatureId } from '../signatures/catalog.ts';
import type { Family, Layer } from '../signatures/types.ts';

export type { SourceRef } from '../record.ts';

/** What an event's failure hit. */
export interface EventObject {
  kind: 'pod' | 'volume' | 'node' | 'nfs-server' | 'task' | 'dns-name' | 'endpoint';
  name: string;
}

/** One classified log line (plus the trace lines folded into it): the record's own fields, then the cause model. */
export interface TimelineEvent extends Pick<LogRecord, 'time' | 'timeQuality' | 'host' | 'program'> {
  /** Position in the merged timeline, 0-based. */
  id: number;
  /** What failed first according to this line: families[0]. */
  family: Family;
  layer: Layer;
  /** Every step this line is evidence for, cause first (`['cni', 'kubelet']` for a sandbox failure quoting the CNI). */
  families: Family[];
  /** The layers of `families`, same order. */
  layers: Layer[];
  /** Who printed the line: kernel, kubelet, containerd, CoreDNS, systemd-resolved, cilium-agent, mount.nfs… */
  reporter: string;
  /** The pod, volume, node, NFS server, task or name the failure hit, when the line names one. */
  object?: EventObject;
  signature: SignatureId;
  severity: Severity;
  fields: Record<string, string>;
  summary: string;
  /** The original message, exactly as read. */
  message: string;
  source: SourceRef;
  /** Lines of a call trace folded into this event (raw text, in order), with where they came from. */
  folded: { source: SourceRef; message: string }[];
}

export type IncidentEnd = 'reboot' | 'nfs-recovered' | 'quiet' | 'end-of-input';

export interface NfsOutage {
  server: string;
  /** First "not responding" / "timed out". */
  start: number | null;
  /** The "server … OK" line, or null while it never came back in these logs. */
  end: number | null;
  startEvent: number;
  endEvent: number | null;
}

export interface Incident {
  id: number;
  host: string;
  start: number | null;
  end: number | null;
  /** Event ids, in timeline order. */
  events: number[];
  families: Family[];
  layers: Layer[];
  nfsOutages: NfsOutage[];
  /** Time of the first reboot line (boot marker, shutdown, gap) that ended it, if any. */
  rebootAt: number | null;
  endedBy: IncidentEnd;
  /** Why this is a separate incident, or how it ended, in words. */
  note: string;
}

export interface Evidence {
  event: number;
  time: number | null;
  source: SourceRef;
  /** The raw line. */
  message: string;
}

export interface ChainLink {
  from: Layer;
  to: Layer;
  incident: number;
  /** The first event of the cause layer. */
  cause: Evidence;
  /** The first event of the effect layer that supports the link. */
  firstEvidence: Evidence;
  /** observed: a line shows the dependency itself; likely: inferred from the model and time order. */
  relation: 'observed' | 'likely';
  why: string;
}

/** A line or input the reader could not use (UnparsedLine without its reader-side flag). */
export type TimelineError = Omit<UnparsedLine, 'partial'>;

export interface TimelineStats {
  inputs: number;
  records: number;
  events: number;
  unparsed: number;
  /** Records per family. */
  byFamily: Partial<Record<Family, number>>;
  /** Inputs that could not be read at all. */
  unreadableInputs: number;
  /** Events beyond the cap (counted, not kept). */
  droppedEvents: number;
}

/** JSON schema version: 2 added families, layers, reporter and object to events (docs/timeline.md). */
export const TIMELINE_SCHEMA_VERSION = 2;

export type { Explanation, FetchCommand, Hypothesis, HypothesisEvidence } from './hypotheses.ts';

export interface TimelineReport {
  version: typeof TIMELINE_SCHEMA_VERSION;
  generatedAt: string;
  inputs: string[];
  events: TimelineEvent[];
  incidents: Incident[];
  chain: ChainLink[];
  /** Competing explanations for each open question (why DNS / the CNI failed, what restarted the node). */
  hypotheses: import('./hypotheses.ts').Hypothesis[];
  errors: TimelineError[];
  stats: TimelineStats;
  /** Statements the report infers rather than reads, for the "what is inferred" section. */
  inferred: string[];
}
