/**
 * The "host program[pid]: message" tail shared by journalctl short-* output and syslog files.
 * Hand-rolled rather than one regex, working on indexes into the line and filling one reused object:
 * this runs on every line of multi-gigabyte journals, where allocations are the cost.
 */
export interface Tagged {
  host: string | undefined;
  program: string | undefined;
  pid: number | undefined;
  message: string;
  /** kern.log lines repeat the kernel's own "[ 1495.123456]" stamp; it is moved here (seconds since boot). */
  monotonic: string | undefined;
}

const scratch: Tagged = {
  host: undefined,
  program: undefined,
  pid: undefined,
  message: '',
  monotonic: undefined,
};
const KERNEL_STAMP = /^\[\s*(\d+\.\d+)\] ?/;

/** Strip the kernel's "[ 1495.123456] " from a kernel line's message so signatures see the message itself. */
function kernelStamp(t: Tagged): Tagged {
  t.monotonic = undefined;
  if (t.program === 'kernel' && t.message.charCodeAt(0) === 91 /* [ */) {
    const m = KERNEL_STAMP.exec(t.message);
    if (m) {
      t.monotonic = m[1];
      t.message = t.message.slice(m[0].length);
    }
  }
  return t;
}

/** The last host and program seen: journals repeat them on every line, so reuse instead of slicing. */
let lastHost = '';
let lastProgram = '';

function take(text: string, from: number, end: number, last: string): string {
  return end - from === last.length && text.startsWith(last, from) ? last : text.slice(from, end);
}

/**
 * Is text[from, end) a tag ("prog:" or "prog[123]:")? Sets scratch.program/pid and returns true.
 */
function readTag(text: string, from: number, end: number): boolean {
  if (end - from < 2 || text.charCodeAt(end - 1) !== 58 /* : */) return false;
  const bodyEnd = end - 1;
  // Look for '[' inside the token only: an unbounded indexOf would scan the whole message.
  let open = -1;
  for (let i = from; i < bodyEnd; i++) {
    if (text.charCodeAt(i) === 91 /* [ */) {
      open = i;
      break;
    }
  }
  if (open < 0) {
    scratch.program = lastProgram = take(text, from, bodyEnd, lastProgram);
    scratch.pid = undefined;
    return true;
  }
  if (open === from || text.charCodeAt(bodyEnd - 1) !== 93 /* ] */) return false;
  let pid = 0;
  for (let i = open + 1; i < bodyEnd - 1; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      pid = -1;
      break;
    }
    pid = pid * 10 + c;
  }
  scratch.program = lastProgram = take(text, from, open, lastProgram);
  scratch.pid = pid >= 0 && bodyEnd - 1 > open + 1 ? pid : undefined;
  return true;
}

/**
 * Split text[from..] as "host prog[pid]: msg". A first token ending in ':' is a tag with no host
 * (seen in hand-edited logs). The result is a shared object: copy what you keep before the next call.
 */
export function splitHostTag(text: string, from = 0): Tagged {
  const n = text.length;
  const sp = text.indexOf(' ', from);
  const firstEnd = sp < 0 ? n : sp;
  const afterFirst = sp < 0 ? n : sp + 1;
  if (readTag(text, from, firstEnd)) {
    scratch.host = undefined;
    scratch.message = text.slice(afterFirst);
    return kernelStamp(scratch);
  }
  scratch.host = lastHost = take(text, from, firstEnd, lastHost);
  const sp2 = text.indexOf(' ', afterFirst);
  const secondEnd = sp2 < 0 ? n : sp2;
  if (afterFirst < n && readTag(text, afterFirst, secondEnd)) {
    scratch.message = sp2 < 0 ? '' : text.slice(sp2 + 1);
    return kernelStamp(scratch);
  }
  scratch.program = undefined;
  scratch.pid = undefined;
  scratch.message = text.slice(afterFirst);
  scratch.monotonic = undefined;
  return scratch;
}
