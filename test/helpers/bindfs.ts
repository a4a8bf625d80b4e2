/**
 * A mount that hangs on demand, and real D-state processes: bindfs (FUSE) (recipe: ../shared/lab.md).
 * `freeze()` SIGSTOPs the bindfs daemon: every access under the mountpoint then blocks in the kernel.
 * `spawnDState(n)` makes n processes page-fault on an mmap of a file under the frozen mount; they sleep
 * in `folio_wait_bit_common`, state D, like readers of a dead NFS server.
 * The test process itself never touches the mountpoint (that would park one of its libuv threads): the
 * helper works in the source directory and reads /proc only.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { requireExecutable } from './lab.ts';

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

const live = new Set<ChildProcess>();
const mounted = new Set<string>();
process.once('exit', () => {
  for (const c of live) killGroup(c, 'SIGKILL');
  for (const c of live) killGroup(c, 'SIGCONT');
  for (const m of mounted) spawnSync('fusermount3', ['-u', '-z', m], { stdio: 'ignore' });
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

function isMounted(mountpoint: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === mountpoint);
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

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`bindfs helper: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startFrozenMount(): Promise<FrozenMount> {
  const bindfs = requireExecutable('bindfs', 'bindfs');
  requireExecutable('fusermount3', 'fuse3');
  const perl = requireExecutable('perl', 'perl-base');
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bindfs-'));
  const source = join(dir, 'source');
  const mountpoint = join(dir, 'mnt');
  mkdirSync(source);
  mkdirSync(mountpoint);
  writeFileSync(join(source, 'hello.txt'), 'hello\n');

  // -f: stay in the foreground so we hold its pid; detached: own process group for cleanup.
  const daemon = spawn(bindfs, ['-f', '-o', 'subtype=bindfs', source, mountpoint], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(daemon);
  mounted.add(mountpoint);
  let stderr = '';
  daemon.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let exited = false;
  const gone = new Promise<void>((r) =>
    daemon.once('exit', () => {
      exited = true;
      live.delete(daemon);
      r();
    }),
  );
  try {
    await until(() => exited || isMounted(mountpoint), 10_000, `bindfs to mount ${mountpoint}`);
  } catch (e) {
    killGroup(daemon, 'SIGKILL');
    throw e;
  }
  if (exited) throw new Error(`bindfs exited before mounting ${mountpoint}: ${stderr.trim()}`);

  let isFrozen = false;
  const faulters: ChildProcess[] = [];
  let stopped = false;

  const freeze = () => {
    killGroup(daemon, 'SIGSTOP');
    isFrozen = true;
  };
  const thaw = () => {
    killGroup(daemon, 'SIGCONT');
    isFrozen = false;
  };

  return {
    source,
    mountpoint,
    pid: daemon.pid!,
    frozen: () => isFrozen,
    freeze,
    thaw,
    async spawnDState(n) {
      if (isFrozen) throw new Error('spawnDState must be called while the mount is thawed');
      // A fresh file each time: its pages are not in the FUSE page cache yet, so touching one must ask bindfs.
      const name = `fault-${randomBytes(4).toString('hex')}.bin`;
      writeFileSync(join(source, name), randomBytes(8192));
      const batch = Array.from({ length: n }, () => {
        const c = spawn(perl, ['-e', FAULTER, join(mountpoint, name), String(mmapSyscall())], {
          detached: true,
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        live.add(c);
        faulters.push(c);
        c.once('exit', () => live.delete(c));
        return c;
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
      freeze();
      for (const c of batch) c.stdin!.write('go\n');
      const pids = batch.map((c) => c.pid!);
      await until(() => pids.every((p) => processState(p) === 'D'), 10_000, `${n} processes in state D`);
      return pids;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // Waits in FUSE page faults are killable: SIGKILL them first, then let bindfs go.
      for (const c of faulters) killGroup(c, 'SIGKILL');
      thaw();
      spawnSync('fusermount3', ['-u', '-z', mountpoint], { stdio: 'ignore', timeout: 10_000 });
      mounted.delete(mountpoint);
      killGroup(daemon, 'SIGKILL');
      await gone;
      await Promise.all(
        faulters.map((c) =>
          c.exitCode !== null || c.signalCode !== null
            ? undefined
            : new Promise<void>((r) => c.once('exit', () => r())),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
