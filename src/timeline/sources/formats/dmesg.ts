/**
 * `dmesg` with monotonic stamps, as printed by dmesg, `dmesg -x`, and /dev/kmsg readers:
 *   [  123.456789] nfs: server truenas.home.lex.la not responding, still trying
 *   kern  :err   : [  123.456789] INFO: task loki:25860 blocked for more than 120 seconds.
 *   <3>[  123.456789] message
 * Seconds since boot become wall time once an anchor is known: the caller's boot time, or the
 * kernel's own "setting system clock to <iso> (<epoch>)" line. Until then records are held (bounded);
 * with no anchor they go out as 'relative' — right order, no wall time.
 */
import type { LogRecord } from '../../record.ts';
import { priorityFields } from './syslog-3164.ts';
import { defineFormat, record } from './types.ts';

const HEAD = /^(?:<(\d{1,3})>)?(?:([a-z]+) *:([a-z]+) *: )?\[ *(\d+)\.(\d{1,9})\] ?/;
const RTC = /setting system clock to \S+ \S* ?\((\d+)\)/;
/** Held records before giving up on an anchor: bounds memory on huge unanchored inputs. */
const MAX_HELD = 50_000;

export const dmesg = defineFormat({
  name: 'dmesg',
  test: (text) => HEAD.test(text),
  create(ctx) {
    let boot = ctx.bootTime;
    let held: LogRecord[] = [];
    let anchorless = false;
    const release = (out: LogRecord[]): void => {
      for (const r of held) {
        if (boot !== undefined && r.time !== null) {
          r.time = Math.floor(r.time + boot);
          r.timeQuality = 'inferred';
        }
        out.push(r);
      }
      held = [];
    };
    return {
      parse(text, line, out) {
        const m = HEAD.exec(text);
        if (!m) return false;
        const sinceBoot = Number(m[4]) * 1000 + Number(m[5]!.padEnd(6, '0').slice(0, 6)) / 1000;
        const message = text.slice(m[0].length);
        let fields: Record<string, string> | undefined;
        if (m[1] !== undefined) fields = priorityFields(+m[1]);
        else if (m[2] !== undefined) fields = { SYSLOG_FACILITY_NAME: m[2], PRIORITY_NAME: m[3]! };
        if (boot === undefined) {
          const rtc = RTC.exec(message);
          if (rtc) boot = Number(rtc[1]) * 1000 - sinceBoot;
        }
        const r = record(ctx, line, 'dmesg', {
          time: sinceBoot,
          timeQuality: 'relative',
          host: undefined,
          program: 'kernel',
          pid: undefined,
          message,
          fields,
        });
        if (boot !== undefined) {
          if (held.length > 0) release(out);
          r.time = Math.floor(sinceBoot + boot);
          r.timeQuality = 'inferred';
          out.push(r);
        } else if (anchorless) {
          out.push(r);
        } else {
          held.push(r);
          if (held.length >= MAX_HELD) {
            anchorless = true;
            release(out);
          }
        }
        return true;
      },
      end(out) {
        release(out);
      },
    };
  },
});
