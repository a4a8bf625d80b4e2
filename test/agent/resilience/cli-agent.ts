/** Runs `faultline agent` as a real process (through tsx) for the tests that need its exit code or limits. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../../..');

export interface AgentProcess {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `prefix` runs the agent under another command (prlimit, setpriv). */
export function spawnAgent(configFile: string, prefix: string[] = []): AgentProcess {
  const argv = [
    ...prefix,
    process.execPath,
    '--import',
    'tsx',
    join(ROOT, 'src/cli/bin.ts'),
    'agent',
    '--config',
    configFile,
  ];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

/** Exit code within `ms`, or undefined (then the process is killed). */
export async function exitCode(p: AgentProcess, ms: number): Promise<number | null | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    p.exited,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    }),
  ]);
  clearTimeout(timer);
  if (r === undefined) p.child.kill('SIGKILL');
  return r;
}
