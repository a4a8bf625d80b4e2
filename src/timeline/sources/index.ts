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

import type { ParseContext } from './formats/types.ts';
import { openInput } from './input.ts';
import { LineReader } from './line-reader.ts';

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
  /** A range reader's own year guess (so it can report the year its first line took). */
  years?: YearGuess;
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
  /** The year guess at the point (yearless formats: the range reader must have used the same year). */
  years: { year: number | undefined; last: number };
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
// Over 80 lines because opening, the head, the document-or-lines choice and the problems it reports
// share one try/finally that must close the input on every path.
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
    years: opts.years ?? new YearGuess(now, zone, opts.year),
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
      const lines = new LineReader(ctx, opts.format).read(chunks(), split);
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
