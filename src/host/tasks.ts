/**
 * Find tasks in state D by scanning <proc>/<pid>/task/<tid>/stat. Threads matter: a Go or Java server
 * with one thread stuck on NFS shows state S in its main /proc/<pid>/stat.
 * Only procfs files that take no lock a hung filesystem could hold are read for every task (stat), and
 * those synchronously, in slices that yield to the event loop: an async read per task costs three
 * thread-pool round trips, which made a scan of 400 tasks cost ~190 ms of CPU. wchan/stack/fdinfo are
 * read (async, bounded) for D-state tasks only. A scan stops at its deadline.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Frame, parseStack } from '../kernel/stack.ts';
import { readBounded } from './read.ts';

export interface TaskStat {
  pid: number;
  comm: string;
  state: string;
}

/**
 * Parse /proc/<pid>/stat: "pid (comm) state ppid …". comm may hold spaces and ')' itself, so the state
 * is the field after the LAST ')'.
 */
export function parseStat(text: string): TaskStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open === -1 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const state = text.slice(close + 2, close + 3);
  if (!Number.isInteger(pid) || state === '') return undefined;
  return { pid, comm: text.slice(open + 1, close), state };
}

export interface DStateTask {
  pid: number;
  tid: number;
  comm: string;
  wchan: string;
  /** Frames of /proc/<tid>/stack, top first (empty without CAP_SYS_ADMIN). */
  stack: Frame[];
  /** Mount ids of the process's open files (from fdinfo), to attribute generic page-cache waits. */
  mountIds: number[];
}

export interface ScanResult {
  tasks: DStateTask[];
  scannedTasks: number;
  /** True when the deadline or the task cap cut the scan short. */
  truncated: boolean;
}

const numeric = (names: string[]) => names.filter((n) => /^\d+$/.test(n));

async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

export async function fdMountIds(proc: string, pid: number, maxFds: number): Promise<number[]> {
  const dir = join(proc, String(pid), 'fdinfo');
  const ids = new Set<number>();
  for (const fd of numeric(await listDir(dir)).slice(0, maxFds)) {
    const info = await readBounded(join(dir, fd), 4096).catch(() => undefined);
    const m = info && /^mnt_id:\s*(\d+)/m.exec(info);
    if (m) ids.add(Number(m[1]));
  }
  return [...ids];
}

export interface ScanOptions {
  proc: string;
  signal: AbortSignal;
  /** Stop after this many tasks (a node with a runaway thread count must not stall the scan). */
  maxTasks: number;
  /** fdinfo entries read per D-state process. */
  maxFds: number;
}

/** Tasks read synchronously between two yields to the event loop. */
const SLICE = 256;

function listDirSync(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** One small procfs file into a reused buffer: open, one read, close. Bytes read; -1 when gone. */
function readIntoSync(path: string, buf: Buffer): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return -1;
  }
  try {
    return readSync(fd, buf, 0, buf.length, null);
  } catch {
    return -1;
  } finally {
    closeSync(fd);
  }
}

const CLOSE_PAREN = 0x29;
const SPACE = 0x20;
const D_STATE = 0x44;

/**
 * State and num_threads of a stat line, straight from the bytes: most tasks are not in D state, and
 * not building strings for them keeps a scan of every thread from feeding the garbage collector
 * (measured: GC was a quarter of the idle agent's CPU). Fields per proc(5): state is field 3, right
 * after the last ')'; num_threads is field 20.
 */
export function statBytes(buf: Buffer, n: number): { state: number; threads: number } | undefined {
  let close = n - 1;
  while (close >= 0 && buf[close] !== CLOSE_PAREN) close--;
  if (close < 0 || close + 2 >= n) return undefined;
  const state = buf[close + 2]!;
  let i = close + 3;
  for (let field = 3; field < 20 && i < n; i++) if (buf[i] === SPACE) field++;
  let threads = 0;
  for (; i < n && buf[i]! >= 0x30 && buf[i]! <= 0x39; i++) threads = threads * 10 + buf[i]! - 0x30;
  return { state, threads };
}

export async function scanDState(o: ScanOptions): Promise<ScanResult> {
  const buf = Buffer.alloc(1024); // a stat line is ~300 bytes; the state sits right after comm
  const found: { pid: number; dir: string; stat: TaskStat }[] = [];
  let scanned = 0;
  let truncated = false;
  let sinceYield = 0;
  const check = (pid: number, dir: string, n: number, state: number) => {
    scanned++;
    if (state !== D_STATE) return;
    const stat = parseStat(buf.toString('latin1', 0, n));
    if (stat?.state === 'D') found.push({ pid, dir, stat });
  };
  for (const pidName of numeric(listDirSync(o.proc))) {
    if (o.signal.aborted || scanned >= o.maxTasks) {
      truncated = true;
      break;
    }
    const pid = Number(pidName);
    const procDir = `${o.proc}/${pidName}`;
    // A single-threaded process is its own only task: no task/ listing, one stat read.
    const n = readIntoSync(`${procDir}/stat`, buf);
    const head = n > 0 ? statBytes(buf, n) : undefined;
    if (head && head.threads === 1) {
      check(pid, procDir, n, head.state);
      sinceYield += 1;
    } else {
      const taskDir = `${procDir}/task`;
      const tids = numeric(listDirSync(taskDir));
      // Fixture trees (and kernels without task/) fall back to the process itself.
      const dirs = tids.length > 0 ? tids.map((t) => `${taskDir}/${t}`) : [procDir];
      for (const dir of dirs) {
        const m = readIntoSync(`${dir}/stat`, buf);
        const st = m > 0 ? statBytes(buf, m) : undefined;
        if (st) check(pid, dir, m, st.state);
        else scanned++;
      }
      sinceYield += dirs.length + 1;
    }
    if (sinceYield >= SLICE) {
      sinceYield = 0;
      await new Promise((r) => setImmediate(r));
    }
  }
  const tasks: DStateTask[] = [];
  const fdCache = new Map<number, number[]>();
  for (const { pid, dir, stat } of found) {
    // Hundreds of stuck processes must not push the scan past its deadline: past it, the rest are
    // still counted, just without wchan/stack/open files (they classify as "other").
    if (o.signal.aborted) {
      truncated = true;
      tasks.push({ pid, tid: stat.pid, comm: stat.comm, wchan: '', stack: [], mountIds: [] });
      continue;
    }
    const wchan = ((await readBounded(join(dir, 'wchan'), 256).catch(() => undefined)) ?? '').trim();
    const stack = parseStack((await readBounded(join(dir, 'stack'), 16384).catch(() => undefined)) ?? '');
    let mountIds = fdCache.get(pid);
    if (!mountIds) {
      mountIds = await fdMountIds(o.proc, pid, o.maxFds);
      fdCache.set(pid, mountIds);
    }
    tasks.push({ pid, tid: stat.pid, comm: stat.comm, wchan: wchan === '0' ? '' : wchan, stack, mountIds });
  }
  return { tasks, scannedTasks: scanned, truncated };
}
