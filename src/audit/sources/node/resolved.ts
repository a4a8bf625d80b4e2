/**
 * systemd-resolved configuration (resolved.conf(5)): /etc/systemd/resolved.conf, then drop-ins from
 * /etc/systemd/resolved.conf.d, /run/systemd/resolved.conf.d, /usr/local/lib/... and /usr/lib/...
 * in file-name order. DNS= and FallbackDNS= are lists: assignments add to the list, an empty
 * assignment resets it. Only the [Resolve] section is read.
 */

import type { NodeFile } from '../../../host/rootfs.ts';
import type { Located, ResolvedConfig } from './facts.ts';

export const RESOLVED_MAIN = '/etc/systemd/resolved.conf';
export const RESOLVED_DROPIN_DIRS = [
  '/etc/systemd/resolved.conf.d',
  '/run/systemd/resolved.conf.d',
  '/usr/local/lib/systemd/resolved.conf.d',
  '/usr/lib/systemd/resolved.conf.d',
];

export function mergeResolved(files: readonly NodeFile[]): ResolvedConfig | undefined {
  if (files.length === 0) return undefined;
  let dns: Located<string[]> | undefined;
  let fallbackDns: Located<string[]> | undefined;
  for (const f of files) {
    let section = '';
    f.text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
      const sec = /^\[(.+)\]$/.exec(line);
      if (sec) {
        section = sec[1]!.trim();
        return;
      }
      if (section !== 'Resolve') return;
      const eq = line.indexOf('=');
      if (eq === -1) return;
      const key = line.slice(0, eq).trim();
      const servers = line
        .slice(eq + 1)
        .trim()
        .split(/\s+/)
        .filter((s) => s !== '');
      const location = { file: f.path, line: i + 1 };
      if (key === 'DNS')
        dns =
          servers.length === 0
            ? { value: [], location }
            : { value: [...(dns?.value ?? []), ...servers], location };
      else if (key === 'FallbackDNS')
        fallbackDns =
          servers.length === 0
            ? { value: [], location }
            : { value: [...(fallbackDns?.value ?? []), ...servers], location };
    });
  }
  return { dns, fallbackDns, files: files.map((f) => f.path) };
}

/** "8.8.8.8#dns.google" / "[2001:db8::1]:53%eth0" → the address part, for comparing servers. */
export function serverAddress(s: string): string {
  const noName = s.split('#')[0] ?? s;
  const v6 = /^\[([^\]]+)\]/.exec(noName);
  if (v6) return v6[1]!;
  const noIf = noName.split('%')[0] ?? noName;
  return /^[^:]+:\d+$/.test(noIf) ? noIf.slice(0, noIf.lastIndexOf(':')) : noIf;
}
