/**
 * journalctl `-o short-iso` / `short-iso-precise`, and rsyslog's RFC 3339 file format (Debian default):
 *   2025-11-14T02:54:55+0000 host prog[pid]: message
 *   2025-11-14T02:54:55.123456+00:00 host prog[pid]: message
 */
import { fractionMs, offsetMs } from '../clock.ts';
import { splitHostTag } from './tag.ts';
import { defineFormat, record } from './types.ts';

const HEAD = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})? (?=\S+ )/;

export const shortIso = defineFormat({
  name: 'short-iso',
  test: (text) => HEAD.test(text),
  create(ctx) {
    return {
      parse(text, line, out) {
        const m = HEAD.exec(text);
        if (!m) return false;
        const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionMs(m[7]));
        const off = m[8] === undefined ? undefined : offsetMs(m[8]);
        const t = splitHostTag(text.slice(m[0].length));
        out.push(
          record(ctx, line, 'short-iso', {
            time: off === undefined ? ctx.zone.toEpoch(wall) : wall - off,
            timeQuality: off === undefined ? 'inferred' : 'exact',
            host: t.host,
            program: t.program,
            pid: t.pid,
            message: t.message,
          }),
        );
        return true;
      },
    };
  },
});
