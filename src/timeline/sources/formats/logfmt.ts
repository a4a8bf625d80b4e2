/**
 * logfmt as containerd, k3s and the Cilium agent (logrus) write it:
 *   time="2025-11-14T02:58:40.123456789Z" level=error msg="PullImage \"quay.io/…\" failed" error="…"
 *   level=warning msg="…" subsys=endpoint        (Cilium inside a container: no time)
 */
import { parseIso } from '../clock.ts';
import { defineFormat, record } from './types.ts';

const START = /^(?:time|ts|t|level|lvl)=/;
const PROGRAM_KEYS = ['component', 'subsys', 'logger', 'app'] as const;

/** key=value / key="quoted \"value\"" pairs; undefined when the line is not logfmt. */
export function parseLogfmt(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let i = 0;
  let pairs = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    if (eq <= i) return undefined;
    const key = text.slice(i, eq);
    if (key.includes(' ')) return undefined;
    i = eq + 1;
    let value = '';
    if (text.charCodeAt(i) === 34 /* " */) {
      i++;
      let start = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) {
          value += text.slice(start, i);
          const next = text[i + 1];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
          i += 2;
          start = i;
        } else if (c === 34) break;
        else i++;
      }
      if (i >= n) return undefined; // unterminated quote
      value += text.slice(start, i);
      i++;
    } else {
      const sp = text.indexOf(' ', i);
      const end = sp < 0 ? n : sp;
      value = text.slice(i, end);
      i = end;
    }
    out[key] = value;
    pairs++;
  }
  return pairs >= 2 ? out : undefined;
}

export const logfmt = defineFormat({
  name: 'logfmt',
  test: (text) => START.test(text) && parseLogfmt(text) !== undefined,
  create(ctx) {
    return {
      parse(text, line, out) {
        if (!START.test(text)) return false;
        const kv = parseLogfmt(text);
        if (!kv) return false;
        const stamp = kv.time ?? kv.ts ?? kv.t;
        const t = stamp === undefined ? undefined : parseIso(stamp, ctx.zone);
        let program: string | undefined;
        for (const k of PROGRAM_KEYS) if (kv[k] !== undefined && program === undefined) program = kv[k];
        const pid = kv.pid === undefined ? undefined : Number(kv.pid);
        out.push(
          record(ctx, line, 'logfmt', {
            time: t ? t.time : null,
            timeQuality: t ? (t.zoned ? 'exact' : 'inferred') : 'none',
            host: kv.host ?? kv.hostname ?? kv.node,
            program,
            pid: pid !== undefined && Number.isInteger(pid) ? pid : undefined,
            message: kv.msg ?? kv.message ?? text,
            fields: kv,
          }),
        );
        return true;
      },
    };
  },
});
