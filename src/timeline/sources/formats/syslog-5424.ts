/**
 * RFC 5424 syslog:
 *   <165>1 2025-11-14T02:58:40.003Z k8s-cp-01 k3s 1224 ID47 [exampleSDID@32473 iut="3"] message
 * NILVALUE is "-"; structured data is kept raw in fields.sd.
 */
import { parseIso } from '../clock.ts';
import { priorityFields } from './syslog-3164.ts';
import { headerFormat, isoTime } from './types.ts';

const HEAD = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) /;

/** Length of the STRUCTURED-DATA field at the start of `s` ("-" or one or more [..] with \] escapes). */
function sdLength(s: string): number {
  if (s.startsWith('-')) return 1;
  let i = 0;
  while (s[i] === '[') {
    i++;
    while (i < s.length && s[i] !== ']') i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length) return -1;
    i++;
  }
  return i === 0 ? -1 : i;
}

const nil = (v: string): string | undefined => (v === '-' ? undefined : v);

export const syslog5424 = headerFormat('syslog-5424', HEAD, (m, text, ctx) => {
  const t = m[2] === '-' ? undefined : parseIso(m[2]!, ctx.zone);
  if (m[2] !== '-' && !t) return undefined;
  const rest = text.slice(m[0].length);
  const sd = sdLength(rest);
  if (sd < 0) return undefined;
  let message = rest.slice(sd).replace(/^ /, '');
  if (message.startsWith('\uFEFF')) message = message.slice(1); // the BOM 5424 allows before UTF-8 text
  const fields = priorityFields(+m[1]!);
  const msgid = nil(m[6]!);
  if (msgid !== undefined) fields.MSGID = msgid;
  if (sd > 1) fields.sd = rest.slice(0, sd);
  const pid = Number(m[5]);
  return {
    ...isoTime(t),
    host: nil(m[3]!),
    program: nil(m[4]!),
    pid: Number.isInteger(pid) ? pid : undefined,
    message,
    fields,
  };
});
