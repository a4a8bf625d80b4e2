/**
 * Journal entry fields (from `-o json` or `-o export`) → LogRecord. Shared by both journal parsers.
 * Field meanings: systemd.journal-fields(7).
 */
import type { LogRecord } from '../../record.ts';
import { type ParseContext, record } from './types.ts';

/** Fields that become record properties, not `fields` entries. */
const PROMOTED = new Set([
  'MESSAGE',
  '__REALTIME_TIMESTAMP',
  '_HOSTNAME',
  'SYSLOG_IDENTIFIER',
  '_COMM',
  '_PID',
]);

/** Tracks _BOOT_ID so a change shows up as the same `-- Boot <id> --` marker short output prints. */
export class BootTracker {
  private boot: string | undefined;
  /** A marker record when this entry starts a new boot, else undefined. */
  check(ctx: ParseContext, line: number, format: string, r: LogRecord): LogRecord | undefined {
    const id = r.fields?._BOOT_ID;
    if (id === undefined) return undefined;
    const changed = this.boot !== undefined && this.boot !== id;
    this.boot = id;
    if (!changed) return undefined;
    return record(ctx, line, format, {
      time: r.time,
      timeQuality: r.timeQuality,
      host: r.host,
      program: 'journal',
      pid: undefined,
      message: `-- Boot ${id} --`,
      fields: { _BOOT_ID: id, marker: 'boot' },
    });
  }
}

/**
 * One journal entry → record; undefined (with the reason) when it has no usable time.
 * `get` returns a field's text value.
 */
export function journalRecord(
  ctx: ParseContext,
  line: number,
  format: string,
  entry: Record<string, string>,
): LogRecord | string {
  const us = entry.__REALTIME_TIMESTAMP;
  const time = us === undefined ? Number.NaN : Math.floor(Number(us) / 1000);
  if (!Number.isFinite(time)) return 'journal entry without a valid __REALTIME_TIMESTAMP';
  const fields: Record<string, string> = {};
  for (const k in entry) if (!PROMOTED.has(k)) fields[k] = entry[k]!;
  const pid = entry._PID === undefined ? undefined : Number(entry._PID);
  return record(ctx, line, format, {
    time,
    timeQuality: 'exact',
    host: entry._HOSTNAME,
    program: entry.SYSLOG_IDENTIFIER ?? entry._COMM,
    pid: pid !== undefined && Number.isInteger(pid) ? pid : undefined,
    message: entry.MESSAGE ?? '',
    fields,
  });
}
