/**
 * The registry of line formats, most specific first: detection breaks ties in this order, and a line
 * the input's own format rejects is offered to the others in this order.
 */
import { coredns } from './coredns.ts';
import { cri } from './cri.ts';
import { dmesg } from './dmesg.ts';
import { dmesgT } from './dmesg-t.ts';
import { faultlineReport } from './faultline-report.ts';
import { journalJson, journalJsonPretty } from './journal-json.ts';
import { klog } from './klog.ts';
import { kubectlDescribeEvents } from './kubectl-describe-events.ts';
import { logfmt } from './logfmt.ts';
import { shortFull } from './short-full.ts';
import { shortIso } from './short-iso.ts';
import { syslog3164 } from './syslog-3164.ts';
import { syslog5424 } from './syslog-5424.ts';
import type { LineFormat } from './types.ts';

export const LINE_FORMATS: readonly LineFormat[] = [
  faultlineReport,
  journalJson,
  journalJsonPretty,
  syslog5424,
  coredns,
  cri,
  shortIso,
  shortFull,
  syslog3164,
  dmesgT,
  dmesg,
  klog,
  logfmt,
  kubectlDescribeEvents,
];

/** Lines of the head used to pick an input's format. */
export const DETECT_LINES = 50;

/**
 * The format most head lines match (ties → registry order), or 'plain' when none does.
 * `journalMarker` says the head had a journalctl "-- … --" line: RFC 3164-shaped lines are then
 * journalctl's short output.
 */
export function detectFormat(head: readonly string[], journalMarker: boolean): string {
  let best: string | undefined;
  let bestCount = 0;
  for (const f of LINE_FORMATS) {
    let n = 0;
    for (const line of head) if (f.test(line)) n++;
    if (n > bestCount) {
      best = f.name;
      bestCount = n;
    }
  }
  if (best === undefined) return 'plain';
  if (best === 'syslog-3164' && journalMarker) return 'journal-short';
  return best;
}

export function formatByName(name: string): LineFormat | undefined {
  if (name === 'journal-short') return syslog3164;
  return LINE_FORMATS.find((f) => f.name === name);
}
