/**
 * records → events → incidents → chain. Sources stream LogRecords in; this keeps only the classified
 * events (rare) and small per-input state, so memory stays flat however large the logs are.
 */
import { buildChain } from './correlate/chain.ts';
import { EventExtractor, type RangePart } from './correlate/extract.ts';
import { buildHypotheses } from './correlate/hypotheses.ts';
import { groupIncidents } from './correlate/incidents.ts';
import { mergeByTime } from './correlate/merge.ts';
import { TIMELINE_SCHEMA_VERSION, type TimelineError, type TimelineReport } from './correlate/types.ts';
import type { LogRecord, UnparsedLine } from './record.ts';

export interface AnalyzeOptions {
  /** Keep only events of this host. */
  host?: string;
  /** Events further apart than this on one host are separate incidents (default 30 min). */
  quietMs?: number;
  /** A log silent this long right after an event counts as a likely freeze/reboot (default 15 min). */
  gapMs?: number;
  /** Unparsed lines listed in `errors` (all are counted). */
  maxErrors?: number;
  maxEvents?: number;
  /** Fixed clock for reproducible output. */
  now?: () => Date;
}

/** A reader problem at line 0 is about the whole input (H3's sources report unreadable files so). */
export function isInputProblem(p: UnparsedLine): boolean {
  return p.line === 0 && !p.partial;
}

export class TimelineBuilder {
  readonly #opts: AnalyzeOptions;
  readonly #extractor: EventExtractor;
  readonly #errors: TimelineError[] = [];
  #unparsed = 0;
  readonly #unreadable = new Set<string>();

  constructor(opts: AnalyzeOptions = {}) {
    this.#opts = opts;
    this.#extractor = new EventExtractor({ gapMs: opts.gapMs, maxEvents: opts.maxEvents });
  }

  addRecord(r: LogRecord): void {
    this.#extractor.push(r);
  }

  addProblem(p: UnparsedLine): void {
    if (isInputProblem(p)) this.#unreadable.add(p.file);
    else if (!p.partial) this.#unparsed++;
    if (p.line === 0 || this.#errors.length < (this.#opts.maxErrors ?? 50))
      this.#errors.push({ file: p.file, line: p.line, reason: p.reason });
  }

  /** See EventExtractor.canAdopt. */
  canAdopt(file: string, lines: number, part: RangePart): boolean {
    return this.#extractor.canAdopt(file, lines, part);
  }

  /**
   * Append a byte range of `file` read by another reader: its events (lines after the first `lines`),
   * then its problems (the first few, with line numbers made absolute, and how many more there were).
   */
  adoptRange(
    file: string,
    part: RangePart,
    lines: number,
    problems: UnparsedLine[],
    moreProblems: number,
  ): void {
    this.#extractor.adopt(file, part, lines);
    for (const p of problems) this.addProblem({ ...p, line: p.line + lines });
    this.#unparsed += moreProblems;
  }

  /** Inputs that could not be read at all. */
  get unreadable(): ReadonlySet<string> {
    return this.#unreadable;
  }

  finish(inputs: string[]): TimelineReport {
    const x = this.#extractor;
    const host = this.#opts.host;
    const single = soleHost(x.events);
    if (single !== undefined)
      for (const e of x.events)
        if (e.host === undefined) {
          e.host = single;
          e.fields.hostInferred = 'yes';
        }
    const raw = host === undefined ? x.events : x.events.filter((e) => e.host === host);
    const events = mergeByTime(raw);
    const incidents = groupIncidents(events, { quietMs: this.#opts.quietMs });
    const chain = incidents.flatMap((inc) => buildChain(inc, events));
    return {
      version: TIMELINE_SCHEMA_VERSION,
      generatedAt: (this.#opts.now?.() ?? new Date()).toISOString(),
      inputs,
      events,
      incidents,
      chain,
      hypotheses: buildHypotheses(incidents, events),
      errors: this.#errors,
      stats: {
        inputs: inputs.length,
        records: x.records,
        events: events.length,
        unparsed: this.#unparsed,
        byFamily: x.byFamily,
        unreadableInputs: this.#unreadable.size,
        droppedEvents: x.dropped,
      },
      inferred: inferredNotes(
        events,
        chain.some((l) => l.relation === 'likely'),
      ),
    };
  }
}

/**
 * The one host every event that names a host names. Inputs without host names (CoreDNS or Cilium pod
 * logs, dmesg) are then most likely from that node; with two or more hosts nothing is guessed.
 */
function soleHost(events: readonly { host: string | undefined }[]): string | undefined {
  let found: string | undefined;
  for (const e of events) {
    if (e.host === undefined) continue;
    if (found !== undefined && e.host !== found) return undefined;
    found = e.host;
  }
  return found;
}

/** Convenience for tests and callers that already hold records. */
export async function analyze(
  records: AsyncIterable<LogRecord> | Iterable<LogRecord>,
  inputs: string[],
  opts: AnalyzeOptions = {},
): Promise<TimelineReport> {
  const b = new TimelineBuilder(opts);
  for await (const r of records) b.addRecord(r);
  return b.finish(inputs);
}

function inferredNotes(events: TimelineReport['events'], likelyLinks: boolean): string[] {
  const notes: string[] = [];
  if (likelyLinks)
    notes.push(
      'Chain links marked "likely" come from the dependency model (storage → blocked tasks → DNS → CNI → pods → node → reboot) and time order, not from a line that shows the dependency.',
    );
  if (new Set(events.map((e) => e.source.file)).size > 1)
    notes.push(
      'Events from different inputs are ordered by their timestamps, which assumes the clocks agreed.',
    );
  if (events.some((e) => e.timeQuality === 'inferred'))
    notes.push(
      'Some timestamps carry no year or zone (syslog, `journalctl -o short`); the year/zone was inferred.',
    );
  if (events.some((e) => e.timeQuality === 'relative'))
    notes.push('Some times are seconds since boot (dmesg) and could not be anchored to the wall clock.');
  if (events.some((e) => e.timeQuality === 'none'))
    notes.push(
      'Some events have no time at all; they keep their place after the preceding line of their input.',
    );
  if (events.some((e) => e.fields.blockedSince))
    notes.push('"blocked since" = the hung-task line\'s time minus the seconds it reports.');
  const guessed = events.filter((e) => e.fields.hostInferred === 'yes');
  if (guessed.length > 0)
    notes.push(
      `${guessed.length} event(s) came from inputs without host names; they are placed on ${guessed[0]!.host}, the only host the other inputs name.`,
    );
  if (events.some((e) => e.signature === 'reboot.log-gap'))
    notes.push('A log that falls silent right after incident events is read as a likely freeze or reboot.');
  return notes;
}
