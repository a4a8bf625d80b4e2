/**
 * Reading one byte range of a plain file from fresh state, as a worker thread does: records →
 * EventExtractor, plus what the coordinator needs to check the range can be appended as is.
 */

import { statSync } from 'node:fs';
import { DEFAULT_GAP_MS, EventExtractor, type RangePart } from '../correlate/extract.ts';
import type { UnparsedLine } from '../record.ts';
import { parseZone, YearGuess } from '../sources/clock.ts';
import { readInput } from '../sources/index.ts';

export interface RangeJob {
  input: string;
  start: number;
  end: number;
  /** The line format the whole file was detected as. */
  format: string;
  year: number | undefined;
  timezone: string | undefined;
  now: number | undefined;
  gapMs: number | undefined;
  maxEvents: number | undefined;
  /** Problems sent back in full; the rest are counted. */
  maxErrors: number;
}

export interface RangeResult extends RangePart {
  problems: UnparsedLine[];
  moreProblems: number;
  /** The range could not be read (a problem about the whole input): not usable. */
  failed: boolean;
  /** Yearless formats: the year the range's first line took. */
  firstYear: number | undefined;
}

export async function readRange(job: RangeJob): Promise<RangeResult> {
  const gapMs = job.gapMs ?? DEFAULT_GAP_MS;
  const x = new EventExtractor({ gapMs, maxEvents: job.maxEvents });
  const problems: UnparsedLine[] = [];
  let moreProblems = 0;
  let failed = false;
  let firstTime: number | undefined;
  let prev: number | undefined;
  let silenceBeforeFirstEvent = false;
  const zone = parseZone(job.timezone);
  // The same reference the whole-file reader uses (--now, else the file's mtime).
  const ref = job.now ?? statSync(job.input).mtimeMs;
  const years = new YearGuess(ref, zone, job.year);
  const opts = {
    year: job.year,
    now: job.now,
    years,
    format: job.format,
    onProblem: (p: UnparsedLine) => {
      if (p.line === 0) failed = true;
      else if (problems.length < job.maxErrors) problems.push(p);
      else moreProblems++;
    },
  };
  for await (const batch of readInput(job.input, zone, opts, job)) {
    for (const r of batch) {
      if (r.time !== null && r.timeQuality !== 'relative') {
        if (prev === undefined) firstTime = r.time;
        else if (r.time - prev >= gapMs && x.events.length + x.dropped === 0) silenceBeforeFirstEvent = true;
        prev = r.time;
      }
      x.push(r);
    }
  }
  return {
    events: x.events,
    records: x.records,
    byFamily: x.byFamily,
    dropped: x.dropped,
    firstTime,
    silenceBeforeFirstEvent,
    problems,
    moreProblems,
    failed,
    firstYear: years.firstYear,
  };
}
