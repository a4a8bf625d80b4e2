/**
 * klog / glog header (kubelet, k3s, kube-* components):
 *   I1114 02:58:40.123456    1224 kuberuntime_manager.go:1170] "CreatePodSandbox for pod failed" err="…"
 * Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg — no year, no zone.
 */
import { fractionMs } from '../clock.ts';
import { headerFormat } from './types.ts';

const HEAD = /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? +(\d+) ([^\s\]]+)\] ?/;
const SEVERITY: Record<string, string> = { I: 'info', W: 'warning', E: 'error', F: 'fatal' };

export const klog = headerFormat('klog', HEAD, (m, text, ctx) => {
  const month = +m[2]! - 1;
  if (month < 0 || month > 11) return undefined;
  return {
    time: ctx.years.resolve(month, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionMs(m[7])),
    timeQuality: 'inferred',
    host: undefined,
    program: undefined,
    pid: Number(m[8]),
    message: text.slice(m[0].length),
    fields: { severity: SEVERITY[m[1]!]!, caller: m[9]! },
  };
});
