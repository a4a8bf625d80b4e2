/** Reading a process's /proc/PID/stat from tests and benches (never from a watched mount). */
import { readFileSync } from 'node:fs';

export interface ProcStat {
  comm: string;
  /** The fields after "(comm)": [0]=state [1]=ppid [2]=pgrp … [11]=utime [12]=stime [13]=cutime [14]=cstime. */
  fields: string[];
}

/** undefined once the process is gone. comm may hold spaces and parentheses: split at the last ')'. */
export function procStat(pid: number | string): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = stat.lastIndexOf(')');
  return { comm: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
}

/** The state letter (R, S, D, T, Z, …), or undefined once the process is gone. */
export function processState(pid: number | string): string | undefined {
  return procStat(pid)?.fields[0];
}
