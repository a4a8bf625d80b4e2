/**
 * Whole-document input formats: inputs read as one stream rather than line by line (journal export,
 * Kubernetes events JSON). Each is one DocumentFormat registered in DOCUMENT_FORMATS — the one place a
 * new one (e.g. the agent's previous-boot report) is added. The reader tries them on an input's head in
 * order; when none claims it, the line pipeline reads it.
 */
import type { LogRecord } from '../record.ts';
import type { ParseContext } from './formats/types.ts';
import { JournalExportParser, looksLikeExport } from './journal-export.ts';
import { looksLikeEvents, MAX_EVENTS_DOC, parseEventsDocument } from './k8s-events-json.ts';

export interface DocumentFormat {
  name: string;
  /** Does an input whose first bytes (up to 64 KiB, as text) are `head` hold a document of this format? */
  detect(head: string): boolean;
  /** Records in batches; problems go to ctx.problem with the file and line. */
  read(ctx: ParseContext, chunks: AsyncIterable<Buffer>): AsyncGenerator<LogRecord[]>;
}

/** `journalctl -o export` (and, with byEntry, a binary .journal read through journalctl). */
export async function* readJournalExport(
  ctx: ParseContext,
  chunks: AsyncIterable<Buffer>,
  byEntry = false,
): AsyncGenerator<LogRecord[]> {
  const parser = new JournalExportParser(ctx, 'journal-export', byEntry);
  for await (const c of chunks) {
    const out: LogRecord[] = [];
    parser.push(c, out);
    if (out.length > 0) yield out;
  }
  const out: LogRecord[] = [];
  parser.end(out);
  if (out.length > 0) yield out;
}

export const journalExportDocument: DocumentFormat = {
  name: 'journal-export',
  detect: looksLikeExport,
  read: (ctx, chunks) => readJournalExport(ctx, chunks),
};

/**
 * The first line, parsed, is an events list or an Event: `kubectl get events -o json | jq -c .` puts the
 * whole document on one line, which must not be read as JSON lines (a journal -o json entry never has
 * `items` or `involvedObject`).
 */
function compactEvents(head: string): boolean {
  const first = head.trimStart().split('\n', 1)[0] ?? '';
  try {
    const v = JSON.parse(first) as Record<string, unknown> | unknown[];
    if (Array.isArray(v)) return v.some((i) => typeof i === 'object' && i !== null && 'involvedObject' in i);
    return Array.isArray(v.items) || 'involvedObject' in v;
  } catch {
    // Not one complete JSON line: a pretty-printed document (or a truncated one).
    return true;
  }
}

export const eventsDocument: DocumentFormat = {
  name: 'k8s-events-json',
  detect: (head) => looksLikeEvents(head) && compactEvents(head),
  async *read(ctx, chunks) {
    const parts: Buffer[] = [];
    let total = 0;
    for await (const c of chunks) {
      total += c.length;
      if (total > MAX_EVENTS_DOC) {
        ctx.problem({
          file: ctx.file,
          line: 0,
          reason: `events document larger than ${MAX_EVENTS_DOC} bytes`,
        });
        return;
      }
      parts.push(c);
    }
    yield parseEventsDocument(ctx, Buffer.concat(parts).toString('utf8'));
  },
};

/** The registry, tried in order on each input's head. */
export const DOCUMENT_FORMATS: readonly DocumentFormat[] = [journalExportDocument, eventsDocument];

/** Latest wall-clock time a record may carry: 9999-12-31T23:59:59.999Z (what a 4-digit year allows). */
const MAX_EPOCH_MS = 253_402_300_799_999;
/** A dmesg stamp beyond this many ms since boot (100 years) is not an uptime. */
const MAX_UPTIME_MS = 100 * 365.25 * 86_400_000;

/**
 * Why a record's time cannot be right, or undefined. Before 1970 (`"-5"` µs, year 0001) or past 9999 is
 * not a log time; NaN is a parser that could not build one. Such a record is a per-line problem, never
 * an event: `new Date(t).toISOString()` would throw on it in a reporter.
 */
export function badTime(r: LogRecord): string | undefined {
  if (r.time === null) return undefined;
  if (!Number.isFinite(r.time)) return 'time is not a valid date';
  if (r.timeQuality === 'relative')
    return r.time < 0 || r.time > MAX_UPTIME_MS
      ? `seconds since boot out of range (${r.time / 1000})`
      : undefined;
  if (r.time < 0 || r.time > MAX_EPOCH_MS) return `time out of range (${r.time} ms since 1970)`;
  return undefined;
}

/** The batch without the records `badTime` rejects, each reported with its file and line. */
export function checkBatch(ctx: ParseContext, batch: LogRecord[]): LogRecord[] {
  let bad = 0;
  for (const r of batch) if (badTime(r) !== undefined) bad++;
  if (bad === 0) return batch;
  const ok: LogRecord[] = [];
  for (const r of batch) {
    const why = badTime(r);
    if (why === undefined) ok.push(r);
    else ctx.problem({ file: ctx.file, line: r.source.line, reason: why });
  }
  return ok;
}

export async function* checkedTimes(
  ctx: ParseContext,
  batches: AsyncIterable<LogRecord[]>,
): AsyncGenerator<LogRecord[]> {
  for await (const batch of batches) {
    const ok = checkBatch(ctx, batch);
    if (ok.length > 0) yield ok;
  }
}
