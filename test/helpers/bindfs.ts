/**
 * A mount that hangs on demand, and real D-state processes: bindfs (FUSE).
 * `freeze()` SIGSTOPs the bindfs daemon: every access under the mountpoint then blocks in the kernel.
 * `spawnDState(n)` makes n processes page-fault on an mmap of a file under the frozen mount; they sleep
 * in `folio_wait_bit_common`, state D, like readers of a dead NFS server.
 * The test process itself never touches the mountpoint (that would park one of its libuv threads): the
 * helper works in the source directory and reads /proc only.
 * A test process that exits or is signalled thaws, kills and unmounts on the way out (process-group.ts);
 * one that is SIGKILLed cannot, so startFrozenMount() first sweeps mounts such a run left behind.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after } from 'node:test';
import { requireExecutable, requireRoot } from './lab.ts';
import { processState, procStat } from './proc.ts';
import {
  collectText,
  type Group,
  onProcessExit,
  signalGroup,
  spawnGroup,
  waitUntil,
} from './process-group.ts';

export interface FrozenMount {
  /** The backing directory (safe to touch from the test). */
  source: string;
  /** The FUSE mountpoint (fstype fuse.bindfs). Never touch it from the test process. */
  mountpoint: string;
  /** bindfs daemon pid. */
  pid: number;
  frozen(): boolean;
  freeze(): void;
  thaw(): void;
  /**
   * Start n processes that end in state D on this mount, and freeze it (if not frozen yet).
   * Must be called while thawed (they open and mmap the file first). Resolves with their pids once
   * every one is in state D.
   */
  spawnDState(n: number): Promise<number[]>;
  /** Kill the D-state processes, thaw, unmount, kill bindfs, remove directories. Safe to call twice. */
  stop(): Promise<void>;
}

const DIR_PREFIX = 'faultline-bindfs-';
/** Next to the mountpoint: the test process that owns the mount, and its bindfs daemon. */
const OWNER_FILE = 'owner.pid';
const DAEMON_FILE = 'bindfs.pid';

function unmount(mountpoint: string): void {
  spawnSync('fusermount3', ['-u', '-z', mountpoint], { stdio: 'ignore', timeout: 10_000 });
}

function mountpoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '');
}

function isMounted(mountpoint: string): boolean {
  return mountpoints().includes(mountpoint);
}

/**
 * "pid starttime": pids are reused, a (pid, start time in clock ticks since boot) pair is not. The
 * process name is no use here: Node 24 calls its main thread "MainThread" in /proc/PID/comm.
 */
function processIdentity(pid: number): string | undefined {
  const start = procStat(pid)?.fields[19];
  return start === undefined ? undefined : `${pid} ${start}`;
}

/** True while the test process that made the mount in `dir` is still running (not a zombie). */
function ownerAlive(dir: string): boolean {
  let recorded: string;
  try {
    recorded = readFileSync(join(dir, OWNER_FILE), 'utf8').trim();
  } catch {
    return false;
  }
  const pid = Number(recorded.split(' ')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const stat = procStat(pid);
  if (stat === undefined || stat.fields[0] === 'Z') return false;
  return processIdentity(pid) === recorded;
}

/**
 * Thaw, kill and unmount the bindfs mounts of test runs that were SIGKILLed (their exit handler never
 * ran). Each run writes its pid and its daemon's next to the mountpoint (never inside it); a mount whose
 * owner is no longer a live node process is an orphan. No /proc-wide scan: reading other processes'
 * /proc files can stall behind one stuck in a FUSE page fault.
 */
function sweepOrphanedMounts(): void {
  const prefix = join(tmpdir(), DIR_PREFIX);
  for (const mountpoint of mountpoints()) {
    if (!mountpoint.startsWith(prefix) || !mountpoint.endsWith('/mnt')) continue;
    const dir = join(mountpoint, '..');
    const pidIn = (name: string) => {
      try {
        return Number(readFileSync(join(dir, name), 'utf8'));
      } catch {
        return undefined;
      }
    };
    if (ownerAlive(dir)) continue;
    const daemon = pidIn(DAEMON_FILE);
    // The daemon pid is only trusted while that process is still a bindfs (pids are reused).
    const live = daemon !== undefined && procStat(daemon)?.comm === 'bindfs' ? daemon : undefined;
    signalGroup(live, 'SIGCONT');
    unmount(mountpoint);
    signalGroup(live, 'SIGKILL');
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // still busy: the next sweep retries
    }
  }
}

/** mmap(2) syscall numbers: perl's `syscall` is the only way to mmap from perl-base (always installed). */
function mmapSyscall(): number {
  if (process.arch === 'x64') return 9;
  if (process.arch === 'arm64') return 222;
  throw new Error(`bindfs helper: no mmap syscall number for ${process.arch}`);
}

// Open + mmap while the mount still answers, say "ready", wait for a line on stdin, then touch the page:
// the fault needs a FUSE READ, which the stopped daemon never answers.
const FAULTER = [
  'open(my $fh, "<", $ARGV[0]) or die "open: $!";',
  'my $a = syscall($ARGV[1], 0, 4096, 1, 1, fileno($fh), 0);',
  'die "mmap: $!" if $a == -1;',
  '$| = 1; print "ready\\n";',
  'my $go = <STDIN>;',
  'my $b = unpack("P1", pack("J", $a));',
  'print "touched\\n";',
].join(' ');

/** A fresh directory with source/ (holding hello.txt) and mnt/, owned by this process (see ownerAlive). */
function mountDir(): { dir: string; source: string; mountpoint: string } {
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  const source = join(dir, 'source');
  const mountpoint = join(dir, 'mnt');
  mkdirSync(source);
  mkdirSync(mountpoint);
  writeFileSync(join(source, 'hello.txt'), 'hello\n');
  writeFileSync(join(dir, OWNER_FILE), processIdentity(process.pid) ?? String(process.pid));
  return { dir, source, mountpoint };
}

/**
 * bindfs mounting source on mountpoint; resolves once the mount is listed. `forget` drops the exit
 * handler that unmounts it if the test process ends first.
 */
async function mountBindfs(
  bindfs: string,
  { dir, source, mountpoint }: ReturnType<typeof mountDir>,
): Promise<{ daemon: Group; forget: () => void }> {
  // -f: stay in the foreground so we hold its pid; spawnGroup: own process group for cleanup.
  const daemon = spawnGroup(bindfs, ['-f', '-o', 'subtype=bindfs', source, mountpoint], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  writeFileSync(join(dir, DAEMON_FILE), String(daemon.pid));
  // On exit the daemon's group is SIGCONTed before this runs and SIGKILLed after it.
  const forget = onProcessExit(() => {
    unmount(mountpoint);
    rmSync(dir, { recursive: true, force: true });
  });
  const stderr = collectText(daemon.child.stderr);
  // Nothing left behind when the mount does not come up: no daemon, no (dead) mount, no directory.
  const fail = async (message: string): Promise<never> => {
    await daemon.kill();
    unmount(mountpoint);
    forget();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(message);
  };
  if (!(await waitUntil(() => daemon.exited() || isMounted(mountpoint), 10_000, 20))) {
    return fail(`bindfs helper: timed out waiting for bindfs to mount ${mountpoint}`);
  }
  if (daemon.exited()) return fail(`bindfs exited before mounting ${mountpoint}: ${stderr().trim()}`);
  return { daemon, forget };
}

/**
 * n processes that open and mmap a fresh file on the mount, then wait for a line on stdin before
 * touching it. Each is added to `faulters` as soon as it is spawned (so stop() kills it whatever happens);
 * resolves once all have said "ready".
 */
async function readyFaulters(
  perl: string,
  { source, mountpoint }: ReturnType<typeof mountDir>,
  n: number,
  faulters: Group[],
): Promise<ChildProcess[]> {
  // A fresh file each time: its pages are not in the FUSE page cache yet, so touching one must ask bindfs.
  const name = `fault-${randomBytes(4).toString('hex')}.bin`;
  writeFileSync(join(source, name), randomBytes(8192));
  const batch = Array.from({ length: n }, () => {
    const c = spawnGroup(perl, ['-e', FAULTER, join(mountpoint, name), String(mmapSyscall())], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    faulters.push(c);
    return c.child;
  });
  await Promise.all(
    batch.map(
      (c) =>
        new Promise<void>((resolve, reject) => {
          const rl = createInterface({ input: c.stdout! });
          rl.once('line', () => resolve());
          c.once('exit', (code) => reject(new Error(`faulting process exited early (code ${code})`)));
        }),
    ),
  );
  return batch;
}

export async function startFrozenMount(): Promise<FrozenMount> {
  requireRoot('mount and freeze a FUSE filesystem');
  const bindfs = requireExecutable('bindfs', 'bindfs');
  requireExecutable('fusermount3', 'fuse3');
  const perl = requireExecutable('perl', 'perl-base');
  sweepOrphanedMounts();
  const paths = mountDir();
  const { dir, source, mountpoint } = paths;
  const { daemon, forget } = await mountBindfs(bindfs, paths);

  let isFrozen = false;
  const faulters: Group[] = [];
  let stopped = false;

  const freeze = () => {
    daemon.signal('SIGSTOP');
    isFrozen = true;
  };
  const thaw = () => {
    daemon.signal('SIGCONT');
    isFrozen = false;
  };

  return {
    source,
    mountpoint,
    pid: daemon.pid,
    frozen: () => isFrozen,
    freeze,
    thaw,
    async spawnDState(n) {
      if (isFrozen) throw new Error('spawnDState must be called while the mount is thawed');
      const batch = await readyFaulters(perl, paths, n, faulters);
      freeze();
      for (const c of batch) c.stdin!.write('go\n');
      const pids = batch.map((c) => c.pid!);
      if (!(await waitUntil(() => pids.every((p) => processState(p) === 'D'), 10_000, 20))) {
        throw new Error(`bindfs helper: timed out waiting for ${n} processes in state D`);
      }
      return pids;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // Waits in FUSE page faults are killable: SIGKILL them first, then let bindfs go.
      for (const c of faulters) c.signal('SIGKILL');
      thaw();
      unmount(mountpoint);
      forget();
      await daemon.kill();
      await Promise.all(faulters.map((c) => c.gone));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a describe whose tests start frozen mounts: the returned function starts one, `after` stops every
 * one it started (a second call does not drop the first).
 */
export function suiteFrozenMount(): () => Promise<FrozenMount> {
  const mounts: FrozenMount[] = [];
  after(async () => {
    for (const m of mounts) await m.stop();
  });
  return async () => {
    const m = await startFrozenMount();
    mounts.push(m);
    return m;
  };
}
