/**
 * journalctl `-o short-iso` / `short-iso-precise`, and rsyslog's RFC 3339 file format (Debian default):
 *   2025-11-14T02:54:55+0000 host prog[pid]: message
 *   2025-11-14T02:54:55.123456+00:00 host prog[pid]: message
 * Parsed by hand, not by regex: this is the bulk format of multi-gigabyte journals, and consecutive
 * lines mostly share their second, so the date arithmetic is cached on the "YYYY-MM-DDTHH:MM:SS" prefix.
 */
import { civilUtc, offsetMs } from '../clock.ts';
import { splitHostTag } from './tag.ts';
import { defineFormat, record } from './types.ts';

const TEST = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})? \S+ /;
const PREFIX = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

export const shortIso = defineFormat({
  name: 'short-iso',
  test: (text) => TEST.test(text),
  create(ctx) {
    let prefix = '';
    let prefixWall = 0;
    let zoneText = '';
    let zoneOffset: number | undefined;
    return {
      parse(text, line, out) {
        if (text.length < 21 || text.charCodeAt(10) !== 84 /* T */ || text.charCodeAt(16) !== 58)
          return false;
        if (!text.startsWith(prefix) || prefix === '') {
          const m = PREFIX.exec(text.slice(0, 19));
          if (!m) return false;
          prefix = m[0];
          prefixWall = civilUtc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
        }
        let i = 19;
        let ms = 0;
        if (text.charCodeAt(i) === 46 /* . */) {
          i++;
          const start = i;
          while (i < text.length && isDigit(text.charCodeAt(i))) {
            if (i - start < 3) ms = ms * 10 + (text.charCodeAt(i) - 48);
            i++;
          }
          const digits = i - start;
          if (digits === 0) return false;
          if (digits === 1) ms *= 100;
          else if (digits === 2) ms *= 10;
        }
        const sp = text.indexOf(' ', i);
        if (sp < 0) return false;
        let off: number | undefined;
        if (sp > i) {
          // Compare in place: slicing the zone out of every line would allocate for nothing.
          if (sp - i !== zoneText.length || !text.startsWith(zoneText, i)) {
            const z = text.slice(i, sp);
            const o = offsetMs(z);
            if (o === undefined) return false;
            zoneText = z;
            zoneOffset = o;
          }
          off = zoneOffset;
        }
        const wall = prefixWall + ms;
        const t = splitHostTag(text, sp + 1);
        if (t.program === undefined && t.message === '') return false;
        out.push(
          record(ctx, line, 'short-iso', {
            time: off === undefined ? ctx.zone.toEpoch(wall) : wall - off,
            timeQuality: off === undefined ? 'inferred' : 'exact',
            host: t.host,
            program: t.program,
            pid: t.pid,
            message: t.message,
            fields: t.monotonic === undefined ? undefined : { monotonic: t.monotonic },
          }),
        );
        return true;
      },
    };
  },
});
