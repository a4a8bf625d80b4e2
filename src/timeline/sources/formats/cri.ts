/**
 * CRI container log files (/var/log/pods/<ns>_<pod>_<uid>/<container>/0.log), as containerd writes them:
 *   2025-11-14T03:02:41.123456789Z stderr F level=error msg="…" subsys=cilium-cni
 * The time is the runtime's (exact); the message is parsed again when it is itself klog, logfmt or
 * CoreDNS, so its fields (level, caller, subsys…) survive.
 */
import type { LogRecord } from '../../record.ts';
import { parseIso } from '../clock.ts';
import { coredns } from './coredns.ts';
import { klog } from './klog.ts';
import { logfmt } from './logfmt.ts';
import { defineFormat, record } from './types.ts';

const HEAD = /^(\d{4}-\d{2}-\d{2}T\S+) (stdout|stderr) ([FP]) ?/;

export const cri = defineFormat({
  name: 'cri',
  test: (text) => HEAD.test(text),
  create(ctx) {
    const inner = [coredns, klog, logfmt].map((f) => f.create(ctx));
    const tmp: LogRecord[] = [];
    return {
      parse(text, line, out) {
        const m = HEAD.exec(text);
        if (!m) return false;
        const t = parseIso(m[1]!, ctx.zone);
        if (!t) return false;
        const message = text.slice(m[0].length);
        let parsed: LogRecord | undefined;
        tmp.length = 0;
        for (const p of inner) {
          if (p.parse(message, line, tmp) && tmp.length === 1) {
            parsed = tmp[0];
            break;
          }
          tmp.length = 0;
        }
        const fields: Record<string, string> = { ...parsed?.fields, stream: m[2]!, tag: m[3]! };
        out.push(
          record(ctx, line, 'cri', {
            time: t.time,
            timeQuality: t.zoned ? 'exact' : 'inferred',
            host: parsed?.host,
            program: parsed?.program,
            pid: parsed?.pid,
            message: parsed?.message ?? message,
            fields,
          }),
        );
        return true;
      },
    };
  },
});
