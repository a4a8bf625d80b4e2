/**
 * RFC 3164 syslog and journalctl `-o short` / `-o short-precise`:
 *   [<PRI>]Nov 14 02:54:55[.123456] host prog[pid]: message
 * No year and no zone: the year is inferred per input (YearGuess), the zone is the caller's.
 * Consecutive lines mostly share their second, so the date work is cached on the "Mmm dd hh:mm:ss" prefix.
 */
import { monthIndex } from '../clock.ts';
import { splitHostTag } from './tag.ts';
import { defineFormat, record } from './types.ts';

const HEAD = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})? /;
const DATE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})/;
const PRI = /^<(\d{1,3})>/;

export const syslog3164 = defineFormat({
  name: 'syslog-3164',
  test: (text) => {
    const m = HEAD.exec(text);
    return m !== null && monthIndex(m[2]!) !== undefined;
  },
  create(ctx) {
    const journal = ctx.detected === 'journal-short';
    let prefix = '';
    let prefixTime = 0;
    return {
      parse(text, line, out) {
        let i = 0;
        let fields: Record<string, string> | undefined;
        if (text.charCodeAt(0) === 60 /* < */) {
          const p = PRI.exec(text);
          if (!p) return false;
          fields = priorityFields(+p[1]!);
          i = p[0].length;
        }
        let base: number;
        if (prefix !== '' && text.startsWith(prefix, i)) {
          base = prefixTime;
          i += prefix.length;
        } else {
          const m = DATE.exec(i === 0 ? text : text.slice(i));
          if (!m) return false;
          const month = monthIndex(m[1]!);
          if (month === undefined) return false;
          base = ctx.years.resolve(month, +m[2]!, +m[3]!, +m[4]!, +m[5]!, 0);
          prefix = m[0];
          prefixTime = base;
          i += m[0].length;
        }
        let ms = 0;
        let precise = false;
        if (text.charCodeAt(i) === 46 /* . */) {
          const start = ++i;
          for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
            if (i - start < 3) ms = ms * 10 + (c - 48);
          }
          const digits = i - start;
          if (digits === 0) return false;
          if (digits === 1) ms *= 100;
          else if (digits === 2) ms *= 10;
          precise = true;
        }
        if (text.charCodeAt(i) !== 32) return false;
        const t = splitHostTag(text, i + 1);
        const format = precise ? 'short-precise' : journal ? 'journal-short' : 'syslog-3164';
        out.push(
          record(ctx, line, format, {
            time: base + ms,
            timeQuality: 'inferred',
            host: t.host,
            program: t.program,
            pid: t.pid,
            message: t.message,
            fields: t.monotonic === undefined ? fields : { ...fields, monotonic: t.monotonic },
          }),
        );
        return true;
      },
    };
  },
});

/** Syslog PRI → the journal's names for the same numbers. */
export function priorityFields(pri: number): Record<string, string> {
  return { PRIORITY: String(pri & 7), SYSLOG_FACILITY: String(pri >> 3) };
}
