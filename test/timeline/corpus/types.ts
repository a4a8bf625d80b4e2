import type { Family } from '../../../src/timeline/signatures/types.ts';

/**
 * One real log line from a public source, as it was posted (wrapped lines joined; long ids may be
 * shortened with …). `families` is what failed according to the line, cause first — what a reader of
 * the thread would say, not what the timeline happens to print.
 */
export interface CorpusLine {
  url: string;
  line: string;
  families: Family[];
}

/**
 * A multi-line excerpt of one public report (a dmesg, a journal, a `kubectl describe` table), with what a
 * post-mortem author would take from it: the families, the first line (1-based) that shows each, and the
 * cascade chain as layer labels (`NFS → hung tasks`), or '' when it has a single step.
 */
export interface CorpusExcerpt {
  url: string;
  /** The excerpt as a log file (the format it was posted in). */
  text: string;
  /** `--year` for formats without one. */
  year?: number;
  families: Family[];
  first: Partial<Record<Family, number>>;
  chain: string;
}
