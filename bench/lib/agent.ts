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
import { timedGet, waitForHttp } from './http.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface AgentTargets {
  nfsServer?: string;
  mountPath?: string;
  dnsResolver?: string;
  dnsNames?: string[];
  webhookUrl: string;
  /** Run only these probes (default: every registered probe). */
  only?: string[];
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
    // Only the resolver the bench started: never the machine's own resolv.conf / systemd-resolved
    // upstreams (traffic from benchmarks and tests stays on loopback).
    dns: {
      resolvers: t.dnsResolver ? [t.dnsResolver] : [],
      names: t.dnsNames ?? ['quay.io'],
      resolvConf: false,
      systemdResolved: false,
      clusterDns: [],
    },
  };
  const probes: Record<string, object> = Object.fromEntries(
    Object.entries(blocks).filter(([name]) => registered.has(name)),
  );
  // `only`: every other registered probe is switched off (the per-probe cost breakdown).
  if (t.only) for (const name of registered) if (!t.only.includes(name)) probes[name] = { enabled: false };
  return {
    probes: t.only ? [...registered].filter((n) => t.only!.includes(n)) : [...registered],
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

/** `auto`: the build in dist/ when present (benchmarks), `source`: always src/ through tsx (tests). */
export async function startAgent(
  dir: string,
  targets: AgentTargets,
  launch: 'auto' | 'source' = 'auto',
): Promise<RunningAgent> {
  const port = await freePort();
  const { config, probes } = agentConfig(dir, port, targets);
  const configFile = join(dir, 'agent.yaml');
  writeFileSync(configFile, stringify(config));
  const built = join(ROOT, 'dist', 'src', 'cli', 'bin.js');
  const [cmd, args, launcher] =
    launch === 'auto' && existsSync(built)
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
  const remote = nonLoopbackTargets((await timedGet(`${base}/metrics`, 10_000)).body);
  if (remote.length > 0) {
    await d.stop();
    throw new Error(
      `agent probes a non-loopback address (benchmarks stay on loopback): ${remote.join(', ')}`,
    );
  }
  return { ...d, base, configFile, probes, launcher, logFile };
}

/** IPv4/IPv6 addresses in check/server/resolver labels of an exposition that are not loopback. */
export function nonLoopbackTargets(exposition: string): string[] {
  const found = new Set<string>();
  for (const m of exposition.matchAll(/(?:check|server|resolver)="(?:[a-z-]+:)?([^"]+)"/g)) {
    const target = m[1]!;
    const ip = /^\[?([0-9a-fA-F:.]+?)\]?(?::\d+)?$/.exec(target)?.[1];
    if (!ip || !/[.:]/.test(ip) || !/\d/.test(ip)) continue; // not an address (a path, a probe name)
    if (ip.startsWith('127.') || ip === '::1') continue;
    found.add(target);
  }
  return [...found];
}
