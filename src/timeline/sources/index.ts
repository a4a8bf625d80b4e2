/**
 * Log sources: every input an operator has (journal exports, syslog, dmesg, klog, logfmt, CoreDNS,
 * Kubernetes events, Loki) becomes a stream of LogRecords. Nothing downstream knows the format.
 *
 *   input → openInput (stdin, gzip, binary journal) → document formats (journal export, events JSON)
 *         → or lines → format detection on the head → one parser per format, per-line fallback
 */
import { describeError } from '../../core/errors.ts';
import type { LogRecord, UnparsedLine } from '../record.ts';
import { parseZone, YearGuess, type Zone } from './clock.ts';
import { checkBatch, checkedTimes, DOCUMENT_FORMATS, readJournalExport } from './documents.ts';
import { DETECT_LINES, detectFormat, formatByName, LINE_FORMATS } from './formats/index.ts';
import type { LineParser, ParseContext } from './formats/types.ts';
import { openInput } from './input.ts';
import { type LineIssue, LineSplitter, MAX_LINE } from './lines.ts';

export type { LokiOptions } from './loki.ts';
export { readLoki } from './loki.ts';

export interface ReadOptions {
  /** Year for RFC 3164 / short lines without a year; default inferred (not in the future of `now`). */
  year?: number;
  /** Time zone for zone-less lines: 'UTC' default, or an IANA name / ±HH:MM offset. */
  timezone?: string;
  /** Reference "now" for relative ages (kubectl describe `2m24s`); default file mtime or Date.now(). */
  now?: number;
  /** Wall-clock boot time (ms) to anchor dmesg's seconds-since-boot; default: found in the input if it can be. */
  bootTime?: number;
  /** Called for every line no parser understood, and for input problems (unreadable file…). */
  onProblem?: (p: UnparsedLine) => void;
  /** Called with bytes read so far / total (when known) for a progress bar. */
  onProgress?: (read: number, total: number | undefined) => void;
  /** stdin stream for input '-'. */
  stdin?: NodeJS.ReadableStream;
  /** Use this line format without detecting it (a byte-range reader continues its file's format). */
  format?: string;
  /** Per input path: where a parallel reader took over the rest of the file (see SplitPoint). */
  split?: ReadonlyMap<string, SplitPoint>;
}

/** What the line reader knows when it reaches a split point. */
export interface SplitState {
  /** Lines before the split point. */
  lines: number;
  /** The input's detected line format. */
  format: string;
  /** No reader state reaches past the point (no boot marker waiting for a time, no fallback parser). */
  clean: boolean;
}

/**
 * A byte offset (a line start) of a plain file where another reader already read the rest. When the
 * reader gets there (every record before it consumed), it asks `handOff`: true ends this input
 * there, false reads on as if nothing happened.
 */
export interface SplitPoint {
  at: number;
  handOff(state: SplitState): Promise<boolean>;
}

/** Streams records from each input in file order (NOT merged across inputs; the caller merges by time). */
export function readLogs(inputs: string[], opts: ReadOptions = {}): AsyncGenerator<LogRecord> {
  // Hand-written rather than `async function*`: an async generator pays for a suspended frame and
  // several promises on every record; here a buffered record is one already-resolved promise.
  const batches = readLogBatches(inputs, opts);
  let batch: LogRecord[] = [];
  let i = 0;
  const pull = async (): Promise<IteratorResult<LogRecord, undefined>> => {
    for (;;) {
      const n = await batches.next();
      if (n.done) return { value: undefined, done: true };
      batch = n.value;
      i = 0;
      if (batch.length > 0) return { value: batch[i++]!, done: false };
    }
  };
  const it: AsyncGenerator<LogRecord, undefined> = {
    next: () => (i < batch.length ? Promise.resolve({ value: batch[i++]!, done: false }) : pull()),
    return: async (value) => {
      batch = [];
      await batches.return(undefined);
      return { value: await value, done: true };
    },
    throw: async (err: unknown) => {
      batch = [];
      await batches.return(undefined);
      throw err;
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

/**
 * The same stream in batches (one per chunk read): a record-at-a-time async generator costs a few
 * promises per record, which dominates at millions of lines; callers that care take batches.
 */
export async function* readLogBatches(inputs: string[], opts: ReadOptions = {}): AsyncGenerator<LogRecord[]> {
  const zone = parseZone(opts.timezone);
  for (const input of inputs) yield* readInput(input, zone, opts);
}

/** Bytes of an input looked at to choose how to read it. */
const HEAD_BYTES = 64 * 1024;

/**
 * One input (exported for parallel readers: `range` reads a byte range of a plain file, which must
 * start at a line boundary; line numbers then count from the range's start).
 */
export async function* readInput(
  input: string,
  zone: Zone,
  opts: ReadOptions,
  range?: { start: number; end: number },
): AsyncGenerator<LogRecord[]> {
  const problem = (p: UnparsedLine): void => opts.onProblem?.(p);
  let opened: Awaited<ReturnType<typeof openInput>>;
  const split = range === undefined ? opts.split?.get(input) : undefined;
  try {
    opened = await openInput(input, {
      stdin: opts.stdin,
      onProgress: opts.onProgress,
      range,
      pauseAt: split?.at,
    });
  } catch (err) {
    problem({ file: input, line: 0, reason: `cannot read input: ${describeError(err)}` });
    return;
  }
  const now = opts.now ?? opened.mtime ?? Date.now();
  const ctx: ParseContext = {
    file: input,
    zone,
    years: new YearGuess(now, zone, opts.year),
    now,
    bootTime: opts.bootTime,
    detected: 'plain',
    problem,
  };
  const iterator = opened.chunks[Symbol.asyncIterator]();
  let completed = false;
  try {
    if (opened.kind === 'journal-file') {
      yield* checkedTimes(ctx, readJournalExport(ctx, opened.chunks, true));
      const failure = await opened.finish();
      if (failure) problem({ file: input, line: 0, reason: failure });
      completed = true;
      return;
    }

    // Look at the head to decide between whole-document formats and line formats.
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < HEAD_BYTES) {
      const n = await iterator.next();
      if (n.done) {
        ended = true;
        break;
      }
      head.push(n.value);
      headBytes += n.value.length;
    }
    const headText = Buffer.concat(head).toString('utf8', 0, Math.min(headBytes, HEAD_BYTES));
    async function* chunks(): AsyncGenerator<Buffer> {
      yield* head;
      if (ended) return;
      for (;;) {
        const n = await iterator.next();
        if (n.done) return;
        yield n.value;
      }
    }

    const document = DOCUMENT_FORMATS.find((d) => d.detect(headText));
    if (document) yield* checkedTimes(ctx, document.read(ctx, chunks()));
    else {
      const lines = readLines(ctx, chunks(), opts.format, split);
      // Not `yield*` through checkedTimes: readLines' return value (stopped at a split) is needed.
      for (;;) {
        const n = await lines.next();
        if (n.done) {
          if (n.value) opened.close();
          break;
        }
        const ok = checkBatch(ctx, n.value);
        if (ok.length > 0) yield ok;
      }
    }
    const failure = await opened.finish();
    if (failure) problem({ file: input, line: 0, reason: failure, partial: true });
    completed = true;
  } catch (err) {
    problem({ file: input, line: 0, reason: `read failed: ${describeError(err)}` });
  } finally {
    if (!completed) opened.close();
  }
}

const MARKER = /^-- (.*) --$/;

/** The line pipeline: detection on the head, one parser per format, per-line fallback, markers. */
async function* readLines(
  ctx: ParseContext,
  chunks: AsyncIterable<Buffer>,
  format: string | undefined,
  split: SplitPoint | undefined,
): AsyncGenerator<LogRecord[], boolean> {
  const splitter = new LineSplitter();
  let out: LogRecord[] = [];
  let primary: LineParser | undefined;
  const fallbacks = new Map<string, LineParser>();
  let pendingBoot: LogRecord | undefined;
  let last: LogRecord | undefined;
  // Lines held until the head is long enough to detect the format.
  let held: Array<[string, number, LineIssue]> | undefined = [];
  const forced = format === undefined ? undefined : formatByName(format);
  if (forced) {
    held = undefined;
    ctx.detected = format!;
    primary = forced.create(ctx);
  }
  let heldNonEmpty = 0;
  let journalMarker = false;

  const fallback = (name: string): LineParser => {
    let p = fallbacks.get(name);
    if (!p) {
      p = formatByName(name)!.create(ctx);
      fallbacks.set(name, p);
    }
    return p;
  };

  const handle = (text: string, line: number, issue: LineIssue): void => {
    if (issue === 'binary') {
      ctx.problem({ file: ctx.file, line, reason: 'binary data (NUL or invalid UTF-8), not a log line' });
      return;
    }
    if (issue === 'truncated') {
      ctx.problem({
        file: ctx.file,
        line,
        reason: `line longer than ${MAX_LINE} characters; parsed its start only`,
      });
    }
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0)) return;
    if (text.charCodeAt(0) === 45 /* - */) {
      const m = MARKER.exec(text);
      if (m) {
        marker(m[1]!, line);
        return;
      }
    }
    const before = out.length;
    if (!parse(text, line)) {
      if (ctx.detected === 'plain') {
        out.push(plainRecord(ctx, text, line));
      } else if (last !== undefined && (text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9)) {
        out.push(continuation(ctx, last, text, line));
      } else {
        ctx.problem({ file: ctx.file, line, reason: `not a ${ctx.detected} line` });
      }
    }
    if (out.length > before) {
      if (pendingBoot !== undefined && out[before]!.time !== null) {
        const next = out[before]!;
        pendingBoot.time = next.time;
        pendingBoot.timeQuality = next.timeQuality;
        pendingBoot.host = next.host;
        out.splice(before, 0, pendingBoot);
        pendingBoot = undefined;
      }
      last = out[out.length - 1];
    }
  };

  const parse = (text: string, line: number): boolean => {
    if (primary?.parse(text, line, out)) return true;
    for (const f of LINE_FORMATS) {
      if (f.name === ctx.detected || (ctx.detected === 'journal-short' && f.name === 'syslog-3164')) continue;
      if (f.test(text) && fallback(f.name).parse(text, line, out)) return true;
    }
    return false;
  };

  // journalctl's "-- Boot <id> --" / "-- No entries --" lines; the header "-- Logs begin at … --" is skipped.
  const marker = (body: string, line: number): void => {
    journalMarker = true;
    const boot = /^Boot ([0-9a-f]{32})$/.exec(body);
    if (boot || body === 'Reboot') {
      if (pendingBoot) out.push(pendingBoot);
      pendingBoot = markerRecord(
        ctx,
        line,
        boot ? `-- Boot ${boot[1]} --` : '-- Reboot --',
        'boot',
        boot?.[1],
      );
    } else if (body === 'No entries') {
      out.push(markerRecord(ctx, line, '-- No entries --', 'no-entries', undefined));
    } else if (!/^(Logs begin at|Journal begins at|Journal started at) /.test(body)) {
      ctx.problem({ file: ctx.file, line, reason: `unknown journalctl marker '${body}'` });
    }
  };

  const detect = (): void => {
    const rows = held ?? [];
    held = undefined;
    const candidates = rows.filter((r) => r[0].trim().length > 0 && r[2] !== 'binary' && !MARKER.test(r[0]));
    ctx.detected = detectFormat(
      candidates.map((r) => r[0]),
      journalMarker || rows.some((r) => MARKER.test(r[0])),
    );
    if (ctx.detected === 'plain' && candidates.length > 0) {
      ctx.problem({
        file: ctx.file,
        line: candidates[0]![1],
        reason: 'no known log format in the first lines: kept as plain lines in file order, without times',
      });
    } else if (ctx.detected !== 'plain') primary = formatByName(ctx.detected)!.create(ctx);
    for (const [t, n, issue] of rows) handle(t, n, issue);
  };

  const sink = (text: string, line: number, issue: LineIssue): void => {
    if (held === undefined) {
      handle(text, line, issue);
      return;
    }
    held.push([text, line, issue]);
    if (text.length > 0 && issue !== 'binary' && ++heldNonEmpty >= DETECT_LINES) detect();
  };

  let offset = 0;
  for await (const chunk of chunks) {
    if (split !== undefined && offset === split.at) {
      const clean =
        held === undefined && pendingBoot === undefined && fallbacks.size === 0 && !splitter.holding;
      if (await split.handOff({ lines: splitter.lines, format: ctx.detected, clean })) return true;
    }
    offset += chunk.length;
    splitter.push(chunk, sink);
    if (out.length > 0) {
      const batch = out;
      out = [];
      yield batch;
    }
  }
  splitter.end(sink);
  if (held !== undefined) detect();
  primary?.end?.(out);
  for (const p of fallbacks.values()) p.end?.(out);
  if (pendingBoot) out.push(pendingBoot);
  if (out.length > 0) yield out;
  return false;
}

function markerRecord(
  ctx: ParseContext,
  line: number,
  message: string,
  kind: string,
  bootId: string | undefined,
): LogRecord {
  const fields: Record<string, string> = { marker: kind };
  if (bootId !== undefined) fields._BOOT_ID = bootId;
  return {
    time: null,
    timeQuality: 'none',
    host: undefined,
    program: 'journal',
    pid: undefined,
    message,
    source: { file: ctx.file, line },
    format: 'journal-marker',
    fields,
  };
}

function plainRecord(ctx: ParseContext, text: string, line: number): LogRecord {
  return {
    time: null,
    timeQuality: 'none',
    host: undefined,
    program: undefined,
    pid: undefined,
    message: text,
    source: { file: ctx.file, line },
    format: 'plain',
  };
}

/** An indented line after a record: the rest of a multi-line message (journalctl indents them). */
function continuation(ctx: ParseContext, prev: LogRecord, text: string, line: number): LogRecord {
  return {
    time: prev.time,
    timeQuality: prev.timeQuality,
    host: prev.host,
    program: prev.program,
    pid: prev.pid,
    message: text.trim(),
    source: { file: ctx.file, line },
    format: prev.format,
    fields: { continuation: 'true' },
  };
}
