/**
 * Starts `faultline agent` as a separate process, the way an operator runs it: the built CLI
 * (dist/, made by `npm run bench`), or through tsx when there is no build. Config: default interval
 * and timeout; only the probes this build registers get a block.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PROBES } from '../../src/agent/probes/index.ts';
import { freePort } from '../../test/helpers/ports.ts';
import { type Daemon, startDaemon } from './daemon.ts';
import { waitForHttp } from './http.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface AgentTargets {
  nfsServer?: string;
  mountPath?: string;
  dnsResolver?: string;
  dnsNames?: string[];
  webhookUrl: string;
}

export interface RunningAgent extends Daemon {
  base: string;
  configFile: string;
  probes: string[];
  launcher: string;
  logFile: string;
}

export function agentConfig(
  dir: string,
  port: number,
  t: AgentTargets,
): { config: object; probes: string[] } {
  const registered = new Set(PROBES.map((p) => p.name));
  const blocks: Record<string, object> = {
    nfs: { servers: t.nfsServer ? [t.nfsServer] : [], discover: false },
    mounts: { discover: false, paths: t.mountPath ? [t.mountPath] : [] },
    dns: { resolvers: t.dnsResolver ? [t.dnsResolver] : [], names: t.dnsNames ?? ['quay.io'] },
    cilium: { enabled: false },
  };
  const probes = Object.fromEntries(Object.entries(blocks).filter(([name]) => registered.has(name)));
  return {
    probes: [...registered],
    config: {
      listen: `127.0.0.1:${port}`,
      node: 'bench-node',
      stateDir: join(dir, 'state'),
      // interval and timeout: the defaults (5s / 3s), as shipped.
      probes,
      alerts: {
        sinks: [{ type: 'webhook', name: 'bench', url: t.webhookUrl, timeout: '2s' }],
        // The drill repeats the same failure: let every repetition's alert through.
        dedupeWindow: '1s',
        rateLimit: { perKey: { count: 1000, window: '1m' } },
        retry: { initial: '250ms', max: '2s' },
      },
      kubernetes: { enabled: false },
    },
  };
}

export async function startAgent(dir: string, targets: AgentTargets): Promise<RunningAgent> {
  const port = await freePort();
  const { config, probes } = agentConfig(dir, port, targets);
  const configFile = join(dir, 'agent.yaml');
  writeFileSync(configFile, stringify(config));
  const built = join(ROOT, 'dist', 'src', 'cli', 'bin.js');
  const [cmd, args, launcher] = existsSync(built)
    ? [process.execPath, [built, 'agent', '--config', configFile], 'node dist/src/cli/bin.js']
    : [
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'src', 'cli', 'bin.ts'), 'agent', '--config', configFile],
        'node --import tsx src/cli/bin.ts (no build)',
      ];
  const logFile = join(dir, 'agent.log');
  const d = startDaemon(cmd, args, logFile);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/readyz`, 30_000);
  return { ...d, base, configFile, probes, launcher, logFile };
}
