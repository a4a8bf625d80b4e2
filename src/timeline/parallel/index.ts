/**
 * Two cores for one big journal: a worker thread reads the second half of a large plain file while
 * the main thread reads the first half; when the main reader reaches the cut, the worker's events are
 * appended in place of reading on. The report is exactly the one-thread report: only formats whose
 * lines parse on their own are split, the cut is at a line that starts a record, and when any state
 * would reach across the cut (an open hung-task trace, a boot marker waiting for a time, a silence
 * check needing the time before the cut) the worker's result is thrown away and the main thread reads
 * on itself.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TimelineBuilder } from '../analyze.ts';
import { DETECT_LINES, detectFormat } from '../sources/formats/index.ts';
import type { SplitPoint } from '../sources/index.ts';
import type { RangeJob, RangeResult } from './range.ts';

/** Files smaller than this are read by one thread (a worker costs ~0.3 s and ~40 MB to start). */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Formats whose parser keeps no state between lines but the year guess (so a range can be read from
 * fresh state), with how a record's first line starts. The yearless ones are adopted only when the
 * range's first line took the year the main reader would have given it (see handOff).
 */
const SPLITTABLE: Record<string, RegExp> = {
  'short-iso': /^\d/,
  'syslog-3164': /^[A-Z][a-z]{2} [ \d]\d \d\d:/,
  'journal-short': /^[A-Z][a-z]{2} [ \d]\d \d\d:/,
};
const YEARLESS = new Set(['syslog-3164', 'journal-short']);
const HALF_YEAR_MS = 180 * 86_400_000;
const HEAD_BYTES = 64 * 1024;
const MARKER = /^-- .* --$/;
/**
 * The worker starts reading later than the main thread (it loads its own modules: ~1 s under tsx,
 * less from the build), so it gets up to this much less than half.
 */
const WORKER_START_BYTES = 32 * 1024 * 1024;
/** Look this far past the middle for a line that starts a record. */
const CUT_SEARCH_BYTES = 1024 * 1024;

export interface ParallelOptions {
  year: number | undefined;
  timezone: string | undefined;
  now: number | undefined;
  /** Threshold in bytes (tests lower it). */
  minBytes?: number;
  /** Called with (size, size) when the worker's half is taken, so a progress bar completes. */
  onProgress?: (read: number, total: number | undefined) => void;
}

/** Where to cut `input`, and its format; undefined when it is not worth or not safe to split. */
export function planSplit(
  input: string,
  minBytes: number,
): { at: number; size: number; format: string } | undefined {
  if (input === '-') return undefined;
  let fd: number | undefined;
  try {
    const st = statSync(input);
    if (!st.isFile() || st.size < minBytes) return undefined;
    fd = openSync(input, 'r');
    const head = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, head, 0, head.length, 0);
    // gzip and binary journals are decoded before lines exist: byte offsets mean nothing there.
    if (head[0] === 0x1f || head.subarray(0, 8).toString('latin1') === 'LPKSHHRH') return undefined;
    const lines = head.toString('utf8', 0, n).split('\n').slice(0, -1);
    const marker = lines.some((l) => MARKER.test(l));
    const candidates = lines
      .filter((l) => l.trim().length > 0 && !MARKER.test(l))
      .slice(0, DETECT_LINES)
      .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const format = detectFormat(candidates, marker);
    const starts = SPLITTABLE[format];
    if (!starts) return undefined;
    const bias = st.size >= PARALLEL_MIN_BYTES ? Math.min(Math.floor(st.size / 16), WORKER_START_BYTES) : 0;
    const at = recordStart(fd, Math.floor(st.size / 2) + bias, st.size, starts);
    return at === undefined ? undefined : { at, size: st.size, format };
  } catch {
    return undefined; // the reader reports unreadable inputs
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The first line start at or after `from` whose line starts a record (a timestamp, not a continuation). */
function recordStart(fd: number, from: number, size: number, starts: RegExp): number | undefined {
  const buf = Buffer.alloc(CUT_SEARCH_BYTES);
  const n = readSync(fd, buf, 0, buf.length, from);
  let i = buf.subarray(0, n).indexOf(10);
  while (i >= 0 && i + 1 < n) {
    if (starts.test(buf.toString('latin1', i + 1, Math.min(n, i + 17))))
      return from + i + 1 < size ? from + i + 1 : undefined;
    i = buf.subarray(0, n).indexOf(10, i + 1);
  }
  return undefined;
}

function startWorker(job: RangeJob): { result: Promise<RangeResult>; stop(): void } {
  // Under tsx (development, tests) the worker must register tsx itself: loaders do not reach workers.
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(ts ? './range-worker.ts' : './range-worker.js', import.meta.url);
  const worker = ts
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`,
        { eval: true, workerData: job },
      )
    : new Worker(url, { workerData: job });
  const result = new Promise<RangeResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`range worker exited (${code})`)));
  });
  result.catch(() => undefined);
  return { result, stop: () => void worker.terminate() };
}

/**
 * Split points for the CLI's inputs, each backed by a running worker. `fileKey` is the name records
 * of that input carry when they reach the builder. Call close() when reading is over.
 */
export function parallelSplits(
  inputs: readonly string[],
  fileKey: (input: string) => string,
  builder: TimelineBuilder,
  opts: ParallelOptions,
): { splits: Map<string, SplitPoint>; close(): void } {
  const splits = new Map<string, SplitPoint>();
  const stops: Array<() => void> = [];
  const close = (): void => {
    for (const s of stops.splice(0)) s();
  };
  if (availableParallelism() < 2) return { splits, close };
  const seen = new Set<string>();
  for (const input of inputs) {
    // The same file twice shares per-file state in the builder: read it the plain way.
    if (seen.has(input)) {
      splits.delete(input);
      continue;
    }
    seen.add(input);
    const plan = planSplit(input, opts.minBytes ?? PARALLEL_MIN_BYTES);
    if (!plan) continue;
    const w = startWorker({
      input,
      start: plan.at,
      end: plan.size,
      format: plan.format,
      year: opts.year,
      timezone: opts.timezone,
      now: opts.now,
      gapMs: undefined,
      maxEvents: undefined,
      maxErrors: 50,
    });
    stops.push(w.stop);
    splits.set(input, {
      at: plan.at,
      async handOff(state) {
        if (!state.clean || state.format !== plan.format) {
          w.stop();
          return false;
        }
        let part: RangeResult;
        try {
          part = await w.result;
        } catch {
          return false;
        }
        w.stop();
        const file = fileKey(input);
        if (part.failed || !builder.canAdopt(file, state.lines, part)) return false;
        // Yearless lines: the range's first line must have taken the year the main reader would give
        // it (same year, no Dec → Jan wrap at the cut); after that both readers step years alike.
        if (
          YEARLESS.has(plan.format) &&
          (part.firstYear === undefined ||
            part.firstYear !== state.years.year ||
            part.firstTime === undefined ||
            part.firstTime < state.years.last - HALF_YEAR_MS)
        )
          return false;
        builder.adoptRange(file, part, state.lines, part.problems, part.moreProblems);
        opts.onProgress?.(plan.size, plan.size);
        return true;
      },
    });
  }
  return { splits, close };
}
