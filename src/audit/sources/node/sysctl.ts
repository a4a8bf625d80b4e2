/**
 * Kernel sysctls the rules need. Config: sysctl.d(5) drop-ins in file-name order, then
 * /etc/sysctl.conf (as `sysctl --system` applies them; last assignment wins). Live values from
 * /proc/sys win over config, since config only applies at boot.
 */

import type { NodeFile } from '../../../host/rootfs.ts';
import type { SysctlValue } from './facts.ts';

export const SYSCTL_KEYS = [
  'kernel.hung_task_timeout_secs',
  'kernel.hung_task_panic',
  'kernel.panic',
] as const;
export const SYSCTL_DROPIN_DIRS = [
  '/etc/sysctl.d',
  '/run/sysctl.d',
  '/usr/local/lib/sysctl.d',
  '/usr/lib/sysctl.d',
  '/lib/sysctl.d',
];
export const SYSCTL_CONF = '/etc/sysctl.conf';

export function procPath(key: string): string {
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

export function parseSysctlConf(f: NodeFile, into: Record<string, SysctlValue>): void {
  f.text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const eq = line.indexOf('=');
    if (eq === -1) return;
    // A leading '-' means "ignore errors"; keys may use '/' instead of '.'.
    const key = line.slice(0, eq).trim().replace(/^-/, '').replace(/\//g, '.');
    into[key] = { value: line.slice(eq + 1).trim(), location: { file: f.path, line: i + 1 }, source: 'conf' };
  });
}

export function numericSysctl(s: Record<string, SysctlValue> | undefined, key: string): number | undefined {
  const v = s?.[key];
  if (!v || !/^-?\d+$/.test(v.value)) return undefined;
  return Number(v.value);
}
