/**
 * `journalctl -o json`: one object per line. Values are strings, except: a field that is not valid
 * UTF-8 (or has control characters) is an array of bytes, a field set more than once is an array of
 * values, and a field over the size limit is null.
 *   {"__REALTIME_TIMESTAMP":"1763088895123456","_HOSTNAME":"k8s-cp-01","SYSLOG_IDENTIFIER":"kernel",…}
 */
import type { LogRecord } from '../../record.ts';
import { BootTracker, journalRecord } from './journal-fields.ts';
import { defineFormat, type ParseContext } from './types.ts';

/** A json field value as text: bytes decoded as UTF-8; for repeated fields, the first value. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((b) => typeof b === 'number'))
      return Buffer.from(v as number[]).toString('utf8');
    return v.length > 0 ? text(v[0]) : undefined;
  }
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** A parsed journal JSON object → records (a boot marker first when the boot changed). */
function entryRecords(
  ctx: ParseContext,
  boots: BootTracker,
  n: number,
  format: string,
  obj: unknown,
  out: LogRecord[],
): boolean {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return false;
  const entry: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const s = text(v);
    if (s !== undefined) entry[k] = s;
  }
  const r = journalRecord(ctx, n, format, entry);
  if (typeof r === 'string') {
    ctx.problem({ file: ctx.file, line: n, reason: r });
    return true;
  }
  const marker = boots.check(ctx, n, format, r);
  if (marker) out.push(marker);
  out.push(r);
  return true;
}

export const journalJson = defineFormat({
  name: 'journal-json',
  test: (t) => t.charCodeAt(0) === 123 /* { */ && t.includes('"__REALTIME_TIMESTAMP"'),
  create(ctx) {
    const boots = new BootTracker();
    return {
      parse(line, n, out: LogRecord[]) {
        if (line.charCodeAt(0) !== 123 || !line.includes('"__REALTIME_TIMESTAMP"')) return false;
        let obj: unknown;
        try {
          obj = JSON.parse(line);
        } catch (err) {
          ctx.problem({ file: ctx.file, line: n, reason: `invalid journal JSON: ${(err as Error).message}` });
          return true;
        }
        return entryRecords(ctx, boots, n, 'journal-json', obj, out);
      },
    };
  },
});

/** Lines one pretty-printed entry may span before it is given up on (bounds memory on a broken file). */
const MAX_PRETTY_LINES = 10_000;

/**
 * `journalctl -o json-pretty`: the same objects, one field per line, "{" and "}" alone on their lines.
 *   {
 *   	"__REALTIME_TIMESTAMP" : "1763088895123456",
 *   	"MESSAGE" : "nfs: server truenas.home.lex.la not responding, still trying",
 *   	…
 *   }
 * The record's line is the line of its "{".
 */
export const journalJsonPretty = defineFormat({
  name: 'journal-json-pretty',
  test: (t) => t === '{',
  create(ctx) {
    const boots = new BootTracker();
    let held: string[] | undefined;
    let start = 0;
    return {
      parse(line, n, out: LogRecord[]) {
        if (held === undefined) {
          if (line !== '{') return false;
          held = [line];
          start = n;
          return true;
        }
        held.push(line);
        if (line !== '}') {
          if (held.length > MAX_PRETTY_LINES) {
            ctx.problem({
              file: ctx.file,
              line: start,
              reason: `journal JSON entry longer than ${MAX_PRETTY_LINES} lines`,
            });
            held = undefined;
          }
          return true;
        }
        const body = held.join('\n');
        held = undefined;
        let obj: unknown;
        try {
          obj = JSON.parse(body);
        } catch (err) {
          ctx.problem({
            file: ctx.file,
            line: start,
            reason: `invalid journal JSON: ${(err as Error).message}`,
          });
          return true;
        }
        if (!entryRecords(ctx, boots, start, 'journal-json-pretty', obj, out)) {
          ctx.problem({ file: ctx.file, line: start, reason: 'not a journal entry object' });
        }
        return true;
      },
      end() {
        if (held !== undefined)
          ctx.problem({ file: ctx.file, line: start, reason: 'journal JSON entry not closed' });
      },
    };
  },
});
