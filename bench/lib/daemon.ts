/** A long-running process started by the bench in its own process group, always killed at the end. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface Daemon {
  pid: number;
  child: ChildProcess;
  /** SIGKILL the whole group (SIGCONT first, in case it was stopped) and wait for exit. */
  stop(): Promise<void>;
  exited(): boolean;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) killGroup(c, 'SIGKILL');
});

function killGroup(c: ChildProcess, sig: NodeJS.Signals): void {
  if (c.pid === undefined) return;
  try {
    process.kill(-c.pid, sig);
  } catch {
    // gone
  }
}

export function startDaemon(cmd: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): Daemon {
  const log = createWriteStream(logFile);
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  running.add(child);
  let done = false;
  const gone = new Promise<void>((r) =>
    child.once('exit', () => {
      done = true;
      running.delete(child);
      r();
    }),
  );
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  return {
    pid: child.pid,
    child,
    exited: () => done,
    async stop() {
      if (done) return;
      killGroup(child, 'SIGCONT');
      killGroup(child, 'SIGKILL');
      await gone;
    },
  };
}
