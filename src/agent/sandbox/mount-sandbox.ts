/**
 * Probes paths through sacrificial children (stat-child.ts) and keeps the books on the ones that never
 * come back. Rules (principle 2 of the brief):
 * - the parent never makes a filesystem call on the path: only the child does;
 * - at most one child in flight per path: while one is stuck, later checks report `hung` without
 *   spawning another (a dead NFS server must not collect a new D-state process every interval);
 * - a stuck child is left alone (it may be unkillable) but tracked; when it finally exits it is reaped
 *   and no longer counted; the number of children out at once is capped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  childCommand,
  parseCoreutilsOutput,
  parseStatChildReport,
  type Runner,
  STARTED_LINE,
  type StatChildReport,
} from './stat-child.ts';

export type MountCheck =
  /** stat + statfs returned. */
  | { status: 'responsive'; report: StatChildReport; seconds: number }
  /** The filesystem answered with an error (ENOTCONN: FUSE daemon gone, ESTALE, EIO, ENOENT…). */
  | { status: 'error'; code: string; message: string; seconds: number }
  /** No answer before the deadline. `stuck`: children outstanding for this path (0 or 1). */
  | { status: 'hung'; stuck: number; stuckSeconds: number; spawned: boolean }
  /** Not probed: too many children are out already. */
  | { status: 'capped'; outstanding: number; cap: number }
  /** The child could not run (spawn failure, crash): says nothing about the mount. */
  | { status: 'probe_failed'; message: string };

type ChildOutcome = { kind: 'report'; report: StatChildReport } | { kind: 'failed'; message: string };

interface InFlight {
  child: ChildProcess;
  startedAt: number;
  outcome: Promise<ChildOutcome>;
  /** Set once a check's deadline passed while this child was inside stat/statfs. */
  timedOut: boolean;
  /** When the child finished starting and entered stat/statfs (undefined: still starting up). */
  syscallsAt?: number;
}

export interface MountSandboxOptions {
  /** Most children allowed out at once (running or stuck), over all paths. */
  maxChildren: number;
  /** The node binary for the node runner; default: this process's. */
  execPath?: string;
  /** Which child to run: coreutils `stat` (cheap) when present, else node. Default "auto". */
  runner?: Runner | 'auto';
}

const MAX_OUTPUT_BYTES = 4096;

export class MountSandbox {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(private readonly opts: MountSandboxOptions) {}

  /** Children outstanding past a deadline for this path. */
  stuck(path: string): number {
    return this.inFlight.get(path)?.timedOut ? 1 : 0;
  }

  totalStuck(): number {
    let n = 0;
    for (const f of this.inFlight.values()) if (f.timedOut) n++;
    return n;
  }

  /** Check one path; resolves by the time `signal` aborts at the latest. Never rejects. */
  async check(path: string, signal: AbortSignal): Promise<MountCheck> {
    let rec = this.inFlight.get(path);
    const spawned = rec === undefined;
    if (!rec) {
      if (signal.aborted)
        return { status: 'probe_failed', message: 'deadline passed before the probe started' };
      // The cap counts every child out (stuck or merely running), so it holds even within one round.
      if (this.inFlight.size >= this.opts.maxChildren) {
        return { status: 'capped', outstanding: this.inFlight.size, cap: this.opts.maxChildren };
      }
      rec = this.spawnChild(path);
    }
    const current = rec;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const r = await Promise.race([current.outcome, aborted]);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    if (r === 'aborted') {
      if (current.syscallsAt === undefined) {
        // Node's own start-up ate the deadline: the mount was never asked. Not stuck; awaited next time.
        return {
          status: 'probe_failed',
          message: `probe child still starting after ${((Date.now() - current.startedAt) / 1000).toFixed(1)} s (node overloaded?)`,
        };
      }
      current.timedOut = true;
      // Stuck: it must not keep the agent alive at shutdown. (Until now it kept the loop alive on purpose.)
      current.child.unref();
      (current.child.stdout as { unref?: () => void } | null)?.unref?.();
      return { status: 'hung', stuck: 1, stuckSeconds: (Date.now() - current.syscallsAt) / 1000, spawned };
    }
    // The mount's share of the time: from entering stat to the report, not node's start-up.
    const seconds = (Date.now() - (current.syscallsAt ?? current.startedAt)) / 1000;
    if (r.kind === 'failed') return { status: 'probe_failed', message: r.message };
    if (r.report.ok) return { status: 'responsive', report: r.report, seconds };
    return {
      status: 'error',
      code: r.report.code ?? 'UNKNOWN',
      message: r.report.message ?? 'error without message',
      seconds,
    };
  }

  /** Kill outstanding children (killable waits die; truly unkillable ones stay orphaned). */
  close(): void {
    for (const f of this.inFlight.values()) {
      try {
        // The whole group: with the coreutils runner the stuck process is sh's child `stat`.
        if (f.child.pid !== undefined) process.kill(-f.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.inFlight.clear();
  }

  private spawnChild(path: string): InFlight {
    const cmd = childCommand(path, this.opts.runner ?? 'auto', this.opts.execPath);
    const child = spawn(cmd.file, cmd.args, {
      // Own process group: signals aimed at the agent's group do not reach it, and it never holds the
      // agent's cwd (which could itself be on a hung mount).
      detached: true,
      cwd: '/',
      env: cmd.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const rec: InFlight = {
      child,
      startedAt: Date.now(),
      timedOut: false,
      outcome: new Promise<ChildOutcome>((resolve) => {
        let out = '';
        let err = '';
        let done = false;
        const settle = (o: ChildOutcome) => {
          if (done) return;
          done = true;
          // Reaped or answered: no longer outstanding. Only remove our own record (a later one may exist).
          if (this.inFlight.get(path) === rec) this.inFlight.delete(path);
          resolve(o);
        };
        // coreutils starts in a millisecond: once exec'd, the time is the mount's.
        if (cmd.runner === 'coreutils') child.once('spawn', () => (rec.syscallsAt = Date.now()));
        child.stderr?.on('data', (d: Buffer) => {
          if (err.length < MAX_OUTPUT_BYTES) err += d.toString();
        });
        child.stdout?.on('data', (d: Buffer) => {
          if (out.length < MAX_OUTPUT_BYTES) out += d.toString();
          if (cmd.runner !== 'node') return;
          for (let nl = out.indexOf('\n'); nl !== -1; nl = out.indexOf('\n')) {
            const line = out.slice(0, nl);
            out = out.slice(nl + 1);
            if (line === STARTED_LINE) {
              rec.syscallsAt = Date.now();
              continue;
            }
            const report = parseStatChildReport(line);
            settle(
              report
                ? { kind: 'report', report }
                : { kind: 'failed', message: 'probe child printed garbage' },
            );
          }
        });
        child.once('error', (e) =>
          settle({ kind: 'failed', message: `probe child did not start: ${e.message}` }),
        );
        // 'close' (not 'exit'): stdout is drained by then, so a report written just before exit is seen.
        child.once('close', (code, sig) => {
          if (cmd.runner === 'coreutils' && sig === null) {
            settle({ kind: 'report', report: parseCoreutilsOutput(code, out, err) });
          }
          settle({
            kind: 'failed',
            message: `probe child exited (${sig ?? `code ${code}`}) without a report`,
          });
        });
      }),
    };
    this.inFlight.set(path, rec);
    return rec;
  }
}
