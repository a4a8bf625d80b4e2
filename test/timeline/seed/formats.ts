/** Renders SEED_ENTRIES the way each tool writes them (journalctl -o short-iso/json/export, rsyslog). */
import { HOST, type SeedEntry } from './issue-lines.ts';

const BOOTS = ['3c5e9a0d7b2f4e18a6c1d9e2f0b47a55', '8f1b2c3d4e5f40718293a4b5c6d7e8f9'];
const MACHINE = '5d6e8f9a0b1c4d2e8f7a6b5c4d3e2f10';
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

function tag(e: SeedEntry): string {
  return e.pid === undefined ? e.program : `${e.program}[${e.pid}]`;
}

/** Boot index of each entry (0 until the first `boot`, then 1…). */
function boots(entries: readonly SeedEntry[]): number[] {
  let b = 0;
  return entries.map((e) => (e.boot ? ++b : b));
}

/** `journalctl -o short-iso`: `2025-11-14T02:57:18+0000 host tag: msg`, `-- Boot … --` between boots. */
export function shortIso(entries: readonly SeedEntry[]): string {
  const b = boots(entries);
  return entries
    .map((e, i) => {
      const line = `${e.time.replace('Z', '+0000')} ${HOST} ${tag(e)}: ${e.message}`;
      return i > 0 && b[i] !== b[i - 1] ? `-- Boot ${BOOTS[b[i]!]} --\n${line}` : line;
    })
    .join('\n')
    .concat('\n');
}

/** RFC 3164 as rsyslog writes /var/log/syslog and as the seed quotes it: `Nov 14 02:58:40 host k3s[1224]: …`. */
export function syslog3164(entries: readonly SeedEntry[]): string {
  return entries
    .map((e) => {
      const d = new Date(e.time);
      const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
      return `${stamp} ${HOST} ${tag(e)}: ${e.message}`;
    })
    .join('\n')
    .concat('\n');
}

function journalFields(entries: readonly SeedEntry[]): Record<string, string>[] {
  const b = boots(entries);
  return entries.map((e, i) => {
    const us = BigInt(Date.parse(e.time)) * 1000n + BigInt(i);
    const f: Record<string, string> = {
      __REALTIME_TIMESTAMP: String(us),
      __MONOTONIC_TIMESTAMP: String(40_000_000 + i),
      _BOOT_ID: BOOTS[b[i]!]!,
      _MACHINE_ID: MACHINE,
      _HOSTNAME: HOST,
      SYSLOG_IDENTIFIER: e.program,
      PRIORITY: '3',
      MESSAGE: e.message,
    };
    if (e.kernel) f._TRANSPORT = 'kernel';
    else {
      f._TRANSPORT = 'stdout';
      f._SYSTEMD_UNIT = `${e.program}.service`;
      if (e.pid !== undefined) f._PID = String(e.pid);
    }
    return f;
  });
}

/** `journalctl -o json`: one object per line. */
export function journalJson(entries: readonly SeedEntry[]): string {
  return journalFields(entries)
    .map((f) => JSON.stringify(f))
    .join('\n')
    .concat('\n');
}

/** `journalctl -o export`: KEY=value lines, each entry ended by a blank line. */
export function journalExport(entries: readonly SeedEntry[]): string {
  return journalFields(entries)
    .map((f) =>
      Object.entries(f)
        .map(([k, v]) => `${k}=${v}\n`)
        .join('')
        .concat('\n'),
    )
    .join('');
}
