/**
 * journalctl `-o short-full` (and `--utc` variants): weekday, full date, zone abbreviation.
 *   Fri 2025-11-14 02:54:55 UTC k8s-cp-01 kernel: nfs: server truenas.home.lex.la not responding, still trying
 *   Fri 2025-11-14 03:54:55.123456 CET k8s-cp-01 kernel: …
 * Abbreviations are ambiguous (IST, CST…): only UTC/GMT/Z are trusted as exact; any other is read in the
 * caller's zone and marked 'inferred'.
 */
import { civilUtc, fractionMs } from '../clock.ts';
import { splitHostTag } from './tag.ts';
import { headerFormat } from './types.ts';

const HEAD =
  /^[A-Z][a-z]{2} (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ([A-Za-z][A-Za-z0-9+-]{0,9}) /;
const UTC_NAMES = new Set(['UTC', 'GMT', 'Z']);

export const shortFull = headerFormat('short-full', HEAD, (m, text, ctx) => {
  const wall = civilUtc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionMs(m[7]));
  const utc = UTC_NAMES.has(m[8]!);
  const t = splitHostTag(text, m[0].length);
  return {
    time: utc ? wall : ctx.zone.toEpoch(wall),
    timeQuality: utc ? 'exact' : 'inferred',
    host: t.host,
    program: t.program,
    pid: t.pid,
    message: t.message,
    fields:
      utc && t.monotonic === undefined
        ? undefined
        : {
            ...(utc ? {} : { zone: m[8]! }),
            ...(t.monotonic === undefined ? {} : { monotonic: t.monotonic }),
          },
  };
});
