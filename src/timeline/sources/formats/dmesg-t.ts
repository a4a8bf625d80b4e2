/**
 * `dmesg -T` (human wall time, in the zone of the machine that ran it — the line does not say which):
 *   [Fri Nov 14 02:54:55 2025] nfs: server truenas.home.lex.la not responding, still trying
 */
import { civilUtc, monthIndex } from '../clock.ts';
import { headerFormat } from './types.ts';

const HEAD = /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})\] ?/;

export const dmesgT = headerFormat('dmesg-T', HEAD, (m, text, ctx) => {
  const month = monthIndex(m[1]!);
  if (month === undefined) return undefined;
  return {
    time: ctx.zone.toEpoch(civilUtc(+m[6]!, month + 1, +m[2]!, +m[3]!, +m[4]!, +m[5]!)),
    timeQuality: 'inferred',
    host: undefined,
    program: 'kernel',
    pid: undefined,
    message: text.slice(m[0].length),
  };
});
