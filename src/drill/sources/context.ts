/**
 * What the drill knows about this node before it touches anything: the same inputs the audit reads
 * (manifests or a live cluster for the inventory, --node-root for mountinfo, resolv.conf, resolved and
 * sysctls — through the audit's own readers, no second parser) and, when an agent runs here, its config
 * (where it alerts to, how often it probes).
 */
import { readFile } from 'node:fs/promises';
import { Inventory } from '../../audit/inventory.ts';
import type { K8sObject } from '../../audit/model.ts';
import { readManifestPaths } from '../../audit/sources/files.ts';
import { nodeBudgetSeconds, readNodeRoot } from '../../audit/sources/node/index.ts';
import { numericSysctl } from '../../audit/sources/node/sysctl.ts';
import type { InputProblem } from '../../core/errors.ts';
import { FaultlineError } from '../../core/errors.ts';

export interface AlertEndpoint {
  /** Host as written in the sink config (URL host or a pinned address). */
  host: string;
  port: number | undefined;
  where: string;
}

export interface AgentFacts {
  file: string;
  /** Where /metrics answers, e.g. "http://127.0.0.1:9464/metrics". */
  metricsUrl: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  degradeAfter: number;
  alertPath: AlertEndpoint[];
  /** What the agent watches: configured NFS servers / resolvers ("host:port"), and whether it discovers more. */
  watches: { nfs: string[]; nfsDiscover: boolean; dns: string[]; dnsDiscover: boolean };
}

export interface DrillContext {
  inventory: Inventory;
  errors: InputProblem[];
  agent: AgentFacts | undefined;
  /** kernel.hung_task_timeout_secs as read (live /proc wins), default 120. */
  hungTaskSeconds: number;
}

export interface ContextOptions {
  paths: readonly string[];
  nodeRoot: string;
  agentConfig: string | undefined;
  env: NodeJS.ProcessEnv;
}

export async function readContext(o: ContextOptions): Promise<DrillContext> {
  const objects: K8sObject[] = [];
  const errors: InputProblem[] = [];
  if (o.paths.length > 0) {
    const r = await readManifestPaths(o.paths);
    objects.push(...r.objects);
    errors.push(...r.errors);
  }
  const node = await readNodeRoot(o.nodeRoot);
  errors.push(...node.errors);
  const inventory = new Inventory(objects, node.facts, {
    nodeBudgetSeconds: nodeBudgetSeconds(node.facts) ?? 120,
  });
  const agent = o.agentConfig === undefined ? undefined : await readAgentFacts(o.agentConfig, o.env);
  return {
    inventory,
    errors,
    agent,
    hungTaskSeconds: numericSysctl(node.facts.sysctls, 'kernel.hung_task_timeout_secs') ?? 120,
  };
}

/** The agent's config through the agent's own loader (same validation, same errors with file:line). */
export async function readAgentFacts(file: string, env: NodeJS.ProcessEnv): Promise<AgentFacts> {
  const [{ loadAgentConfigFile }, { PROBES }, { deliveryConfigSchema }] = await Promise.all([
    import('../../agent/config.ts'),
    import('../../agent/probes/index.ts'),
    import('../../agent/delivery/index.ts'),
  ]);
  try {
    await readFile(file, 'utf8');
  } catch (err) {
    throw new FaultlineError('input', `cannot read agent config ${file}: ${(err as Error).message}`);
  }
  const config = await loadAgentConfigFile(file, { probes: PROBES, alertsSchema: deliveryConfigSchema, env });
  const host =
    config.listen.host === '0.0.0.0' || config.listen.host === '::' ? '127.0.0.1' : config.listen.host;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    file,
    metricsUrl: `http://${hostPart}:${config.listen.port}/metrics`,
    intervalSeconds: config.interval / 1000,
    timeoutSeconds: config.timeout / 1000,
    degradeAfter: config.states.degradeAfter,
    alertPath: alertEndpoints(config.alerts),
    watches: watchedTargets(config.probes),
  };
}

/**
 * Every address the agent's alerts travel to: URL hosts/ports of each sink and any pinned addresses
 * (the delivery layer pre-resolves names so sending needs no DNS). Walks the sink configs generically so
 * a new sink type is covered without a change here.
 */
export function alertEndpoints(alerts: unknown): AlertEndpoint[] {
  const out: AlertEndpoint[] = [];
  const walk = (v: unknown, where: string) => {
    if (typeof v === 'string') {
      if (/^https?:\/\//i.test(v)) {
        try {
          const u = new URL(v);
          const port = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
          out.push({ host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port, where });
        } catch {
          // not a URL after all: nothing to protect
        }
      } else if (/^[\d.]+$|^[0-9a-f:]+$/i.test(v) && v.includes('.') !== v.includes(':')) {
        out.push({ host: v, port: undefined, where });
      }
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${where}[${i}]`);
    } else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) walk(x, where === '' ? k : `${where}.${k}`);
  };
  walk((alerts as { sinks?: unknown } | undefined)?.sinks ?? [], 'alerts.sinks');
  return out;
}

function watchedTargets(
  probes: Record<string, { enabled: boolean; config: unknown }>,
): AgentFacts['watches'] {
  const nfs = probes.nfs?.enabled ? (probes.nfs.config as { servers?: string[]; discover?: boolean }) : {};
  const dns = probes.dns?.enabled
    ? (probes.dns.config as { resolvers?: string[]; resolvConf?: boolean; systemdResolved?: boolean })
    : {};
  return {
    nfs: nfs.servers ?? [],
    nfsDiscover: nfs.discover ?? false,
    dns: dns.resolvers ?? [],
    dnsDiscover: (dns.resolvConf ?? false) || (dns.systemdResolved ?? false),
  };
}
