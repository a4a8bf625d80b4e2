import type { LogRecord } from '../record.ts';
import { Classifier, stripPrintkStamp } from '../signatures/classify.ts';
import { FRAME_PARTS, isNfsClientFrame, TRACE_CONTINUATION } from '../signatures/hung-task.ts';
import { renderSummary } from '../signatures/template.ts';
import type { Family } from '../signatures/types.ts';
import { causeModel } from './cause.ts';
import type { TimelineEvent } from './types.ts';

/** An event before the merge gives it a timeline id. */
export type RawEvent = Omit<TimelineEvent, 'id'> & { inputIndex: number };

export interface ExtractOptions {
  /** A file silent this long right after an event suggests the node froze or rebooted. */
  gapMs?: number;
  /** Keep at most this many events (the rest are counted). */
  maxEvents?: number;
}

/** What a reader of a byte range (from fresh state) found, for appending it to a sequential read. */
export interface RangePart {
  events: RawEvent[];
  records: number;
  byFamily: Partial<Record<Family, number>>;
  dropped: number;
  /** Time of the range's first timed record. */
  firstTime: number | undefined;
  /** A silence of gapMs or more came before the range's first event (its gap check lacked history). */
  silenceBeforeFirstEvent: boolean;
}

/** A trace being folded: kernel lines of the same input that continue a hung-task report. */
interface OpenTrace {
  event: RawEvent;
  lastLine: number;
  lastTime: number | null;
  program: string | undefined;
}

/** Lines farther apart than this (or seconds apart) do not continue a trace. */
const TRACE_MAX_LINE_GAP = 64;
const TRACE_MAX_TIME_GAP_MS = 10_000;
/** Default for ExtractOptions.gapMs (range readers use it too, so both halves of a split agree). */
export const DEFAULT_GAP_MS = 15 * 60_000;

/**
 * Records → events. Classification is stateless except for two small per-input states: the open trace
 * (so a hung-task banner and the call trace after it are one event) and the last wall-clock time (so a
 * log that falls silent mid-incident shows up).
 */
export class EventExtractor {
  readonly events: RawEvent[] = [];
  readonly byFamily: Partial<Record<Family, number>> = {};
  records = 0;
  dropped = 0;
  readonly #classifier = new Classifier();
  readonly #open = new Map<string, OpenTrace>();
  readonly #lastTime = new Map<string, number>();
  readonly #lastEventTime = new Map<string, number>();
  readonly #inputs = new Map<string, number>();
  readonly #gapMs: number;
  readonly #maxEvents: number;

  constructor(opts: ExtractOptions = {}) {
    this.#gapMs = opts.gapMs ?? DEFAULT_GAP_MS;
    this.#maxEvents = opts.maxEvents ?? 100_000;
  }

  push(r: LogRecord): void {
    this.records++;
    const file = r.source.file;
    const open = this.#open.get(file);
    if (open) {
      if (this.#continues(open, r)) {
        this.#fold(open, r);
        return;
      }
      if (r.program === open.program) this.#open.delete(file);
    }
    // An input that already showed incident events and now prints a kernel boot banner rebooted.
    const afterEvents = this.#lastEventTime.has(file);
    const gap = this.#silence(r);
    const text = withError(r);
    const c = this.#classifier.classify(text, r.program) ?? this.#classifyEvent(r, text);
    if (!c) {
      // Silence ended by an ordinary line: the node likely froze or restarted (a boot marker, or the
      // same failure going on after the gap, says more and needs no guess).
      if (gap !== undefined) this.#add(r, gapEvent(r, gap));
      return;
    }
    const fields = { ...recordFields(r), ...c.fields };
    const sig = c.signature;
    if (sig.id === 'hung-task.blocked' && r.time !== null && r.timeQuality !== 'relative' && fields.seconds) {
      fields.blockedSince = new Date(r.time - Number(fields.seconds) * 1000).toISOString();
    }
    const cause = causeModel(sig, fields, text, r.program);
    let severity = sig.severity;
    let summary = renderSummary(sig.summary, fields);
    if (sig.id === 'reboot.kernel-boot' && afterEvents) {
      severity = 'high';
      summary = `the node booted again (${summary}, after incident lines of this log)`;
    }
    if (sig.family === 'hung-task' && cause.families.includes('dns')) fields.resolverTask = 'yes';
    const event: Omit<RawEvent, 'inputIndex'> = {
      time: r.time,
      timeQuality: r.timeQuality,
      host: r.host ?? fields.node,
      program: r.program,
      family: cause.families[0]!,
      layer: cause.layers[0]!,
      families: cause.families,
      layers: cause.layers,
      reporter: cause.reporter,
      ...(cause.object ? { object: cause.object } : {}),
      signature: sig.id,
      severity,
      fields,
      summary,
      message: text,
      source: { ...r.source },
      folded: [],
    };
    const stored = this.#add(r, event);
    if (sig.foldsTrace)
      this.#open.set(file, { event: stored, lastLine: r.source.line, lastTime: r.time, program: r.program });
  }

  /** Store a fresh event (or count it past the cap), giving it its input index in place. */
  #add(r: LogRecord, partial: Omit<RawEvent, 'inputIndex'>): RawEvent {
    const event = partial as RawEvent;
    event.inputIndex = this.#inputIndex(r.source.file);
    for (const f of event.families) this.byFamily[f] = (this.byFamily[f] ?? 0) + 1;
    if (r.time !== null && r.timeQuality !== 'relative') this.#lastEventTime.set(r.source.file, r.time);
    if (this.events.length >= this.#maxEvents) this.dropped++;
    else this.events.push(event);
    return event;
  }

  /**
   * Would reading on from the state left after `lines` lines of `file` give exactly `part` (read from
   * fresh state)? Only the per-file state can differ: an open trace still in reach, or a gap check
   * that needs the time of the last line or event before the range.
   */
  canAdopt(file: string, lines: number, part: RangePart): boolean {
    const open = this.#open.get(file);
    if (open && lines + 1 - open.lastLine <= TRACE_MAX_LINE_GAP) return false;
    const lastEvent = this.#lastEventTime.get(file);
    if (lastEvent === undefined) return true;
    if (part.silenceBeforeFirstEvent) return false;
    const prev = this.#lastTime.get(file);
    return prev === undefined || part.firstTime === undefined || part.firstTime - prev < this.#gapMs;
  }

  /** Append a range read separately (see canAdopt): its lines come after `lines` lines of `file`. */
  adopt(file: string, part: RangePart, lines: number): void {
    this.records += part.records;
    this.dropped += part.dropped;
    for (const [family, n] of Object.entries(part.byFamily) as Array<[Family, number]>)
      this.byFamily[family] = (this.byFamily[family] ?? 0) + n;
    for (const e of part.events) {
      e.inputIndex = this.#inputIndex(file);
      e.source = { file, line: e.source.line + lines };
      for (const f of e.folded) f.source = { file, line: f.source.line + lines };
      if (this.events.length >= this.#maxEvents) this.dropped++;
      else this.events.push(e);
    }
  }

  #inputIndex(file: string): number {
    let i = this.#inputs.get(file);
    if (i === undefined) {
      i = this.#inputs.size;
      this.#inputs.set(file, i);
    }
    return i;
  }

  /** A Kubernetes Event carries its reason apart from the message; try "reason: message" too. */
  #classifyEvent(r: LogRecord, text: string) {
    const reason = r.fields?.reason;
    if (!reason || text.includes(reason)) return undefined;
    return this.#classifier.classify(`${reason}: ${text}`, r.program);
  }

  /** How long this input was silent before r, when that silence followed an event closely. */
  #silence(r: LogRecord): number | undefined {
    if (r.time === null || r.timeQuality === 'relative') return undefined;
    const file = r.source.file;
    const prev = this.#lastTime.get(file);
    this.#lastTime.set(file, r.time);
    if (prev === undefined || r.time - prev < this.#gapMs) return undefined;
    const lastEvent = this.#lastEventTime.get(file);
    if (lastEvent === undefined || prev - lastEvent > this.#gapMs) return undefined;
    return r.time - prev;
  }

  #continues(open: OpenTrace, r: LogRecord): boolean {
    if (r.program !== open.program) return false;
    if (r.source.line - open.lastLine > TRACE_MAX_LINE_GAP) return false;
    if (open.lastTime !== null && r.time !== null && Math.abs(r.time - open.lastTime) > TRACE_MAX_TIME_GAP_MS)
      return false;
    // A second banner starts its own event.
    if (r.message.includes('blocked for more than')) return false;
    return TRACE_CONTINUATION.test(stripPrintkStamp(r.message));
  }

  #fold(open: OpenTrace, r: LogRecord): void {
    open.lastLine = r.source.line;
    if (r.time !== null) open.lastTime = r.time;
    const e = open.event;
    e.folded.push({ source: { ...r.source }, message: r.message });
    const text = stripPrintkStamp(r.message);
    const frame = FRAME_PARTS.exec(text)?.groups;
    if (frame?.symbol && isNfsClientFrame(frame.symbol, frame.module)) {
      const frames = e.fields.frames ? e.fields.frames.split(', ') : [];
      if (!frames.includes(frame.symbol)) frames.push(frame.symbol);
      e.fields.frames = frames.join(', ');
      // A blocked task whose stack is in the NFS client: NFS is the cause this report shows.
      if (!e.families.includes('nfs')) {
        e.families.unshift('nfs');
        e.layers.unshift('storage');
        e.family = 'nfs';
        e.layer = 'storage';
        this.byFamily.nfs = (this.byFamily.nfs ?? 0) + 1;
      }
      if (e.signature === 'hung-task.nfs-frame')
        e.summary = `task waiting inside the NFS client (${e.fields.frames})`;
    }
    const state =
      /^\s*task:\S+\s+state:(?<s>\w)/.exec(text)?.groups?.s ?? /^\s*State: (?<s>\w)/.exec(text)?.groups?.s;
    if (state) e.fields.state = state;
  }
}

/**
 * The message plus a structured `error=` the line carried outside it: Cilium logs
 * msg="Unable to create endpoint" error="[PUT /endpoint/{id}][429] …", and the 429 is the point.
 */
function withError(r: LogRecord): string {
  const error = r.fields?.error ?? r.fields?.err;
  return error && !r.message.includes(error) ? `${r.message} error="${error}"` : r.message;
}

/** Fields the record itself carries that the timeline shows (Kubernetes Event object, reason). */
function recordFields(r: LogRecord): Record<string, string> {
  const f = r.fields;
  if (!f) return {};
  const out: Record<string, string> = {};
  if (f.reason) out.reason = f.reason;
  // `kubectl describe pod` gives Name and Namespace but no Kind; a namespaced object with kubelet
  // events is a pod, an unnamespaced one with Node* reasons a node.
  const pod = f.kind === 'Pod' || (f.kind === undefined && f.namespace !== undefined);
  const node =
    f.kind === 'Node' || (f.kind === undefined && f.namespace === undefined && f.reason?.startsWith('Node'));
  if (pod && f.name) {
    out.pod = f.name;
    if (f.namespace) {
      out.namespace = f.namespace;
      out.podRef = `${f.namespace}/${f.name}`;
    }
  } else if (node && f.name) {
    out.node = f.name;
  }
  if (f.kind) out.kind = f.kind;
  if (f.name) out.name = f.name;
  if (f.count) out.count = f.count;
  if (f.endpointID) out.endpoint = f.endpointID;
  return out;
}

function formatSpan(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
}

/** A derived event: the input went silent right after incident events (not a catalog signature). */
function gapEvent(r: LogRecord, gapMs: number): Omit<RawEvent, 'inputIndex'> {
  return {
    time: r.time,
    timeQuality: r.timeQuality,
    host: r.host,
    program: r.program,
    family: 'reboot',
    layer: 'reboot',
    families: ['reboot'],
    layers: ['reboot'],
    reporter: 'faultline (silence in this input)',
    signature: 'reboot.log-gap',
    severity: 'medium',
    fields: { silentMs: String(gapMs) },
    summary: `no log lines for ${formatSpan(gapMs)} right after incident events: likely a freeze or reboot`,
    message: r.message,
    source: { ...r.source },
    folded: [],
  };
}
