/**
 * The timeline pipeline as a library call, the way `audit(opts)` is the audit's: inputs (files, stdin,
 * Loki) → records → events → incidents → chain. Unreadable inputs and bad lines become `report.errors`
 * entries; the rest still runs. The CLI only parses flags, calls this and renders.
 */
import { isAbsolute, resolve } from 'node:path';
import { TimelineBuilder } from './analyze.ts';
import type { TimelineReport } from './correlate/types.ts';
import { parallelSplits } from './parallel/index.ts';
import { readLogBatches, readLoki } from './sources/index.ts';

export interface TimelineRunOptions {
  /** Log files ('-' is stdin), as the operator named them: the report shows these names. */
  inputs: readonly string[];
  /** Directory relative inputs are resolved against (default: process.cwd()). */
  cwd?: string;
  /** Year for lines that carry none (syslog, journalctl -o short). */
  year?: number;
  /** Zone for lines that carry none: IANA name or ±HH:MM (default UTC). */
  timezone?: string;
  /** Keep only events of this host. */
  host?: string;
  /** When relative ages were taken (kubectl describe "2m24s"), ms since the epoch. */
  now?: number;
  /** Fixed clock for `generatedAt` (reproducible output). */
  clock?: () => Date;
  stdin?: NodeJS.ReadableStream;
  /** Also read from Grafana Loki (query_range). */
  loki?: { url: string; query: string; since: number; until: number };
  /** Bytes read so far / total, for a progress bar. */
  onProgress?: (read: number, total: number | undefined) => void;
  /** Plain inputs at least this large are split across a worker thread (see timeline/parallel). */
  parallelMinBytes?: number;
}

export interface TimelineResult {
  report: TimelineReport;
  /** Inputs that could not be read at all (as named in `inputs`, or the Loki URL). */
  unreadable: string[];
  /** Records read from every input. */
  records: number;
}

export async function buildTimeline(opts: TimelineRunOptions): Promise<TimelineResult> {
  const cwd = opts.cwd ?? process.cwd();
  const shown = [...opts.inputs];
  const paths = shown.map((p) => (p === '-' || isAbsolute(p) ? p : resolve(cwd, p)));
  // Report paths as the operator typed them.
  const shownName = (file: string): string => {
    const i = paths.indexOf(file);
    return i >= 0 ? shown[i]! : file;
  };
  const builder = new TimelineBuilder({ host: opts.host, now: opts.clock });
  const onProblem = builder.addProblem.bind(builder);
  const read = { year: opts.year, timezone: opts.timezone, now: opts.now };
  let records = 0;
  // Large plain inputs: a worker thread reads the second half (same report, see timeline/parallel).
  const parallel = parallelSplits(paths, shownName, builder, {
    ...read,
    minBytes: opts.parallelMinBytes,
    onProgress: opts.onProgress,
  });
  try {
    // Batches, not readLogs' record-at-a-time iterator: a promise per record costs ~5% at millions of lines.
    for await (const batch of readLogBatches(paths, {
      ...read,
      onProblem,
      onProgress: opts.onProgress,
      stdin: opts.stdin,
      split: parallel.splits,
    })) {
      for (const r of batch) {
        r.source.file = shownName(r.source.file);
        builder.addRecord(r);
      }
      records += batch.length;
    }
  } finally {
    parallel.close();
  }
  if (opts.loki) {
    shown.push(opts.loki.url);
    for await (const r of readLoki({ ...opts.loki, onProblem, timezone: opts.timezone })) {
      builder.addRecord(r);
      records++;
    }
  }
  const report = builder.finish(shown);
  for (const e of report.errors) e.file = shownName(e.file);
  return { report, unreadable: [...builder.unreadable].map(shownName), records };
}
