/**
 * Real servers for tests and benches, each spawned in its own process group so one signal reaches all
 * it forks. Every live group is SIGCONTed (it may be paused) and SIGKILLed, and every registered cleanup
 * (e.g. `fusermount3 -u` of a FUSE mount) runs, when this process exits or is told to stop (SIGINT,
 * SIGTERM, SIGHUP — node:test cancels a file with SIGTERM). So a dying test cannot leave a SIGSTOPped
 * server or a frozen mount behind — except when the test process itself is SIGKILLed: that cannot be
 * caught, the groups then outlive it (startFrozenMount() sweeps such orphaned bindfs mounts).
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

export interface Group {
  child: ChildProcess;
  pid: number;
  exited(): boolean;
  /** Resolves once the group leader has exited. */
  gone: Promise<void>;
  /** Signal the whole group (no-op once it is gone). */
  signal(sig: NodeJS.Signals): void;
  /** SIGCONT + SIGKILL the group and wait for the leader to exit. Safe to call twice. */
  kill(): Promise<void>;
}

const live = new Set<Group>();
const cleanups = new Set<() => void>();
let hooked = false;

export function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

function cleanupAll(): void {
  // CONT before KILL is not needed for SIGKILL itself, but a stopped FUSE daemon must run to let go.
  for (const g of live) g.signal('SIGCONT');
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      // best effort: the process is going away
    }
  }
  for (const g of live) g.signal('SIGKILL');
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', cleanupAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupAll();
      // Our listener is gone (once): re-raising gives the default action (or the other listeners' one).
      process.kill(process.pid, sig);
    });
  }
}

/** Run `fn` (synchronously) if this process exits or is stopped by a signal; returns the unregister. */
export function onProcessExit(fn: () => void): () => void {
  hook();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Spawn `cmd` detached (own process group), tracked for cleanup until it exits. */
export function spawnGroup(cmd: string, args: string[], options: SpawnOptions = {}): Group {
  hook();
  const child = spawn(cmd, args, { ...options, detached: true });
  let done = false;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => {
      done = true;
      live.delete(group);
      resolve();
    });
  });
  const group: Group = {
    child,
    pid: child.pid ?? -1,
    exited: () => done,
    gone,
    signal: (sig) => {
      if (!done) signalGroup(child.pid, sig);
    },
    async kill() {
      group.signal('SIGCONT');
      group.signal('SIGKILL');
      await gone;
    },
  };
  if (child.pid !== undefined) live.add(group);
  return group;
}

/** Poll `cond` every `everyMs` until it holds or `ms` pass; the last check decides. */
export async function waitUntil(cond: () => boolean, ms: number, everyMs = 25): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return cond();
}

/** Collect a stream's text (a child's stderr) for failure messages. */
export function collectText(stream: NodeJS.ReadableStream | null | undefined): () => string {
  let text = '';
  stream?.on('data', (d: Buffer) => {
    text += d.toString();
  });
  return () => text;
}

/** Read a server's log file for readiness checks and failure messages ('' until it exists). */
export function logReader(path: string): () => string {
  return () => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
}

/** pause/resume/stop for a test server: SIGSTOP makes it a hung server; stop kills it and removes `dir`. */
export function serverControls(
  server: Group,
  dir: string,
): { pause(): void; resume(): void; stop(): Promise<void> } {
  let stopped = false;
  return {
    pause: () => server.signal('SIGSTOP'),
    resume: () => server.signal('SIGCONT'),
    async stop() {
      if (stopped) return;
      stopped = true;
      // SIGKILL works on a stopped process too; these servers hold nothing we need to flush.
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
