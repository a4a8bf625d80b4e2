/** A long-running process started by the bench in its own process group, always killed at the end. */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { spawnGroup } from '../../test/helpers/process-group.ts';

export interface Daemon {
  pid: number;
  child: ChildProcess;
  /** SIGKILL the whole group (SIGCONT first, in case it was stopped) and wait for exit. */
  stop(): Promise<void>;
  exited(): boolean;
}

export function startDaemon(cmd: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): Daemon {
  const log = createWriteStream(logFile);
  const group = spawnGroup(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  group.child.stdout?.pipe(log);
  group.child.stderr?.pipe(log);
  if (group.child.pid === undefined) throw new Error(`could not start ${cmd}`);
  return { pid: group.pid, child: group.child, exited: group.exited, stop: group.kill };
}
