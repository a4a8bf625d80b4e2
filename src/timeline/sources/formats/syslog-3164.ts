/**
 * RFC 3164 syslog and journalctl `-o short` / `-o short-precise`:
 *   [<PRI>]Nov 14 02:54:55[.123456] host prog[pid]: message
 * No year and no zone: the year is inferred per input (YearGuess), the zone is the caller's.
 */
import { fractionMs, monthIndex } from '../clock.ts';
import { splitHostTag } from './tag.ts';
import { defineFormat, record } from './types.ts';

const HEAD = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? /;

export const syslog3164 = defineFormat({
  name: 'syslog-3164',
  test: (text) => HEAD.test(text) && monthIndex(text.replace(/^<\d+>/, '').slice(0, 3)) !== undefined,
  create(ctx) {
    const journal = ctx.detected === 'journal-short';
    return {
      parse(text, line, out) {
        const m = HEAD.exec(text);
        if (!m) return false;
        const month = monthIndex(m[2]!);
        if (month === undefined) return false;
        const time = ctx.years.resolve(month, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionMs(m[7]));
        const t = splitHostTag(text, m[0].length);
        const format = m[7] !== undefined ? 'short-precise' : journal ? 'journal-short' : 'syslog-3164';
        out.push(
          record(ctx, line, format, {
            time,
            timeQuality: 'inferred',
            host: t.host,
            program: t.program,
            pid: t.pid,
            message: t.message,
            fields: m[1] !== undefined ? priorityFields(+m[1]) : undefined,
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
