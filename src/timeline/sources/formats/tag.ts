/**
 * The "host program[pid]: message" tail shared by journalctl short-* output and syslog files.
 * Hand-rolled rather than one regex: this runs on every line of multi-gigabyte journals.
 */
export interface Tagged {
  host: string | undefined;
  program: string | undefined;
  pid: number | undefined;
  message: string;
}

/** "prog[123]:" or "prog:" → program and pid; undefined when the token is not a tag. */
function parseTag(token: string): { program: string; pid: number | undefined } | undefined {
  if (token.length < 2 || token.charCodeAt(token.length - 1) !== 58 /* : */) return undefined;
  const body = token.slice(0, -1);
  const open = body.indexOf('[');
  if (open < 0) return body.length > 0 ? { program: body, pid: undefined } : undefined;
  if (open === 0 || body.charCodeAt(body.length - 1) !== 93 /* ] */) return undefined;
  const pid = Number(body.slice(open + 1, -1));
  return { program: body.slice(0, open), pid: Number.isInteger(pid) ? pid : undefined };
}

/** Split "host prog[pid]: msg". A first token ending in ':' is a tag with no host (seen in hand-edited logs). */
export function splitHostTag(rest: string): Tagged {
  const sp = rest.indexOf(' ');
  const first = sp < 0 ? rest : rest.slice(0, sp);
  const after = sp < 0 ? '' : rest.slice(sp + 1);
  const tagFirst = parseTag(first);
  if (tagFirst) return { host: undefined, program: tagFirst.program, pid: tagFirst.pid, message: after };
  const sp2 = after.indexOf(' ');
  const second = sp2 < 0 ? after : after.slice(0, sp2);
  const tag = parseTag(second);
  if (tag)
    return { host: first, program: tag.program, pid: tag.pid, message: sp2 < 0 ? '' : after.slice(sp2 + 1) };
  return { host: first, program: undefined, pid: undefined, message: after };
}
