/**
 * CPU and memory of a process, the way `top` would count them but over an exact window:
 * CPU = Δ(utime + stime + cutime + cstime) from /proc/PID/stat (children it reaped count: the agent's
 * sacrificial probe children are its cost), RSS = VmRSS from /proc/PID/status, plus the RSS of any
 * live descendants (a probe child still running at sample time).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { procStat } from '../../test/helpers/proc.ts';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Seconds of CPU used by the process and the children it has reaped. */
export function cpuSeconds(pid: number): number {
  const { own, children } = cpuSplit(pid);
  return own + children;
}

/** CPU seconds of the process itself and of the children it has reaped (its probe children). */
export function cpuSplit(pid: number): { own: number; children: number } {
  const f = procStat(pid)?.fields;
  if (!f) throw new Error(`process ${pid} is gone`);
  // After ")": [0]=state [1]=ppid … [11]=utime [12]=stime [13]=cutime [14]=cstime
  return {
    own: (Number(f[11]) + Number(f[12])) / CLK_TCK,
    children: (Number(f[13]) + Number(f[14])) / CLK_TCK,
  };
}

export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** pid and all its live descendants. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = Number(procStat(name)?.fields[1]);
    if (!Number.isFinite(ppid)) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

export interface Usage {
  /** Percent of one core over the window. */
  cpuPercentOfCore: number;
  cpuSeconds: number;
  /** Part of cpuSeconds spent in reaped children (e.g. the agent's sacrificial probe processes). */
  cpuChildrenSeconds: number;
  windowSeconds: number;
  rssMaxBytes: number;
  rssAvgBytes: number;
  /** RSS of the process plus live descendants, max over samples. */
  treeRssMaxBytes: number;
}

/**
 * Samples several processes over the same window (RSS every `everyMs`); `during` runs concurrently
 * (e.g. scrapes at a fixed interval) and is awaited before the window closes.
 */
export async function measureUsage(
  pids: Record<string, number>,
  windowMs: number,
  everyMs = 1000,
): Promise<Record<string, Usage>> {
  const start = performance.now();
  const cpu0 = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpuSplit(p)]));
  const rss: Record<string, number[]> = Object.fromEntries(Object.keys(pids).map((k) => [k, []]));
  const tree: Record<string, number[]> = Object.fromEntries(Object.keys(pids).map((k) => [k, []]));
  while (performance.now() - start < windowMs) {
    for (const [k, p] of Object.entries(pids)) {
      rss[k]!.push(rssBytes(p));
      tree[k]!.push(processTree(p).reduce((sum, q) => sum + rssBytes(q), 0));
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const seconds = (performance.now() - start) / 1000;
  const out: Record<string, Usage> = {};
  for (const [k, p] of Object.entries(pids)) {
    const now = cpuSplit(p);
    const children = now.children - cpu0[k]!.children;
    const used = now.own - cpu0[k]!.own + children;
    const r = rss[k]!;
    out[k] = {
      cpuPercentOfCore: (used / seconds) * 100,
      cpuSeconds: used,
      cpuChildrenSeconds: children,
      windowSeconds: seconds,
      rssMaxBytes: Math.max(...r),
      rssAvgBytes: r.reduce((a, b) => a + b, 0) / r.length,
      treeRssMaxBytes: Math.max(...tree[k]!),
    };
  }
  return out;
}
