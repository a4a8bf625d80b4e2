/**
 * CoreDNS (its `log`/`errors` plugins), bare or with the timestamp `kubectl logs --timestamps` adds:
 *   [ERROR] plugin/errors: 2 quay.io. A: read udp 10.42.0.15:47436->172.16.0.1:53: i/o timeout
 *   2025-11-14T02:58:40.123456789Z [ERROR] plugin/errors: 2 ghcr.io. AAAA: read udp …: i/o timeout
 *   [INFO] 10.42.0.1:41235 - 30507 "A IN quay.io. udp 36 false 512" SERVFAIL qr,rd 36 2.001s
 */
import { parseIso } from '../clock.ts';
import { headerFormat, isoTime } from './types.ts';

const HEAD = /^(?:(\d{4}-\d{2}-\d{2}T\S+) )?\[(INFO|ERROR|WARNING|DEBUG|FATAL)\] /;
const PLUGIN = /^plugin\/([\w-]+):/;

export const coredns = headerFormat('coredns', HEAD, (m, text, ctx) => {
  const t = m[1] === undefined ? undefined : parseIso(m[1], ctx.zone);
  if (m[1] !== undefined && !t) return undefined;
  const message = text.slice(m[0].length);
  const fields: Record<string, string> = { level: m[2]!.toLowerCase() };
  const plugin = PLUGIN.exec(message);
  if (plugin) fields.plugin = plugin[1]!;
  return { ...isoTime(t), host: undefined, program: 'coredns', pid: undefined, message, fields };
});
