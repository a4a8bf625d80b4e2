/**
 * klog / glog header (kubelet, k3s, kube-* components):
 *   I1114 02:58:40.123456    1224 kuberuntime_manager.go:1170] "CreatePodSandbox for pod failed" err="…"
 * Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg — no year, no zone.
 */
import { fractionMs } from '../clock.ts';
import { defineFormat, record } from './types.ts';

const HEAD = /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? +(\d+) ([^\s\]]+)\] ?/;
const SEVERITY: Record<string, string> = { I: 'info', W: 'warning', E: 'error', F: 'fatal' };

export const klog = defineFormat({
  name: 'klog',
  test: (text) => HEAD.test(text),
  create(ctx) {
    return {
      parse(text, line, out) {
        const m = HEAD.exec(text);
        if (!m) return false;
        const month = +m[2]! - 1;
        if (month < 0 || month > 11) return false;
        const time = ctx.years.resolve(month, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionMs(m[7]));
        out.push(
          record(ctx, line, 'klog', {
            time,
            timeQuality: 'inferred',
            host: undefined,
            program: undefined,
            pid: Number(m[8]),
            message: text.slice(m[0].length),
            fields: { severity: SEVERITY[m[1]!]!, caller: m[9]! },
          }),
        );
        return true;
      },
    };
  },
});
