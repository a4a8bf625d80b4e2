/** Runs `faultline agent` as a real process (through tsx) for the tests that need its exit code or limits. */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { otherProbesOff } from '../probes-off.ts';

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

/**
 * Writes the agent config these tests run with: `listen` on `port`, node n1, alerts to the test receiver's
 * /hook. `probes` are the ones the test configures (in that order); every other probe is disabled. `extra`
 * lines go after `timeout:`.
 */
export function writeAgentConfig(
  file: string,
  c: {
    port: number;
    stateDir: string;
    interval: string;
    timeout: string;
    extra: string[];
    probes: Record<string, string>;
    receiverUrl: string;
  },
): void {
  writeFileSync(
    file,
    [
      `listen: 127.0.0.1:${c.port}`,
      'node: n1',
      `stateDir: ${c.stateDir}`,
      `interval: ${c.interval}`,
      `timeout: ${c.timeout}`,
      ...c.extra,
      'probes:',
      ...Object.entries(c.probes).map(([p, v]) => `  ${p}: ${v}`),
      otherProbesOff(Object.keys(c.probes)).trimEnd(),
      'alerts:',
      `  sinks: [{type: webhook, name: hook, url: "${c.receiverUrl}/hook"}]`,
      '',
    ].join('\n'),
  );
}
