/**
 * DNS: every resolver asked separately (a node's lookups rotate through resolv.conf, so one dead
 * resolver shows up as intermittent 5 s stalls, never as a clean failure). Each configured name is
 * looked up with one try and a short timeout through c-ares (node's Resolver: no libuv thread is ever
 * parked on a dead resolver, unlike getaddrinfo).
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { Counter, Gauge } from 'prom-client';
import { z } from 'zod';
import { readBounded } from '../../host/read.ts';
import { parseResolvConf } from '../../host/resolv-conf.ts';
import { answered, defineProbe, type HostPaths, type TargetResult } from '../probe.ts';

export const DNS_RESULTS = ['ok', 'timeout', 'servfail', 'nxdomain', 'refused', 'error'] as const;
export type DnsResult = (typeof DNS_RESULTS)[number];

/** "10.43.0.10", "10.43.0.10:53", "[fd00::a]:53", "fd00::a" → the "ip:port" form c-ares takes. */
export function normalizeResolver(text: string): string | undefined {
  const t = text.trim();
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(t);
  if (v6?.[1] && isIP(v6[1]) === 6) return `[${v6[1]}]:${v6[2] ?? 53}`;
  if (isIP(t) === 6) return `[${t}]:53`;
  const v4 = /^([\d.]+)(?::(\d{1,5}))?$/.exec(t);
  if (v4?.[1] && isIP(v4[1]) === 4) {
    const port = Number(v4[2] ?? 53);
    return port >= 1 && port <= 65535 ? `${v4[1]}:${port}` : undefined;
  }
  return undefined;
}

const resolverString = z.string().refine((s) => normalizeResolver(s) !== undefined, {
  message: 'expected an IP address with optional port: "10.43.0.10", "10.43.0.10:53", "[fd00::a]:53"',
});

export const dnsConfigSchema = z.strictObject({
  /** Resolvers to watch besides the discovered ones ("ip[:port]"). */
  resolvers: z.array(resolverString).default([]),
  /** The cluster DNS service IP(s) (CoreDNS), asked for `clusterNames` as well as `names`. */
  clusterDns: z.array(resolverString).default([]),
  /** Watch the nameservers in <etc>/resolv.conf. */
  resolvConf: z.boolean().default(true),
  /** Watch systemd-resolved's upstreams (<run>/systemd/resolve/resolv.conf) when that file exists. */
  systemdResolved: z.boolean().default(true),
  /** Names looked up on every resolver. */
  names: z.array(z.string().min(1)).default(['example.com']),
  /** Names looked up on cluster DNS only (a node's own resolvers do not know cluster names). */
  clusterNames: z.array(z.string().min(1)).default(['kubernetes.default.svc.cluster.local']),
  /** Per-lookup timeout in ms (one try): keep it below the probe's timeout. */
  queryTimeoutMs: z.number().int().min(50).default(2000),
  /** A resolver whose slowest answer takes longer (seconds) is degraded. */
  slowSeconds: z.number().positive().default(0.5),
});

export type DnsConfig = z.output<typeof dnsConfigSchema>;

/** The resolvers a resolv.conf names, as "ip:port" ("%scope" of link-local IPv6 dropped), deduplicated. */
export function resolversOf(text: string): string[] {
  const out: string[] = [];
  for (const { value } of parseResolvConf(text).nameservers) {
    const r = normalizeResolver(value.replace(/%.*$/, ''));
    if (r && !out.includes(r)) out.push(r);
  }
  return out;
}

export function classifyDnsError(code: string | undefined): DnsResult {
  switch (code) {
    case 'ETIMEOUT':
    case 'ECANCELLED':
      return 'timeout';
    case 'ESERVFAIL':
      return 'servfail';
    case 'ENOTFOUND':
      return 'nxdomain';
    case 'EREFUSED':
      return 'refused';
    default:
      return 'error';
  }
}

interface Lookup {
  name: string;
  result: DnsResult;
  seconds: number;
  code?: string;
}

async function lookup(resolver: Resolver, name: string): Promise<Lookup> {
  const t0 = performance.now();
  try {
    await resolver.resolve4(name);
    return { name, result: 'ok', seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENODATA: the name exists but has no A record — the resolver answered correctly.
    const result = code === 'ENODATA' ? 'ok' : classifyDnsError(code);
    return { name, result, seconds: (performance.now() - t0) / 1000, code };
  }
}

const MEANING: Record<Exclude<DnsResult, 'ok'>, string> = {
  timeout: 'no answer before the timeout',
  servfail: 'SERVFAIL (the resolver or its upstream is broken)',
  nxdomain: 'NXDOMAIN (the name does not exist there)',
  refused: 'REFUSED (the resolver will not answer us)',
  error: 'a transport or protocol error',
};

/** The resolvers to ask this run and the names to ask each, with where each resolver was found. */
async function discover(
  cfg: DnsConfig,
  paths: HostPaths,
): Promise<Map<string, { names: string[]; sources: string[] }>> {
  const out = new Map<string, { names: string[]; sources: string[] }>();
  const add = (server: string, names: string[], source: string) => {
    const e = out.get(server) ?? { names: [], sources: [] };
    for (const n of names) if (!e.names.includes(n)) e.names.push(n);
    if (!e.sources.includes(source)) e.sources.push(source);
    out.set(server, e);
  };
  const files: [boolean, string, string][] = [
    [cfg.resolvConf, join(paths.etc, 'resolv.conf'), 'resolv.conf'],
    [cfg.systemdResolved, join(paths.run, 'systemd', 'resolve', 'resolv.conf'), 'systemd-resolved'],
  ];
  for (const [enabled, file, source] of files) {
    if (!enabled) continue;
    const text = await readBounded(file, 65536).catch(() => undefined);
    if (text !== undefined) for (const s of resolversOf(text)) add(s, cfg.names, source);
  }
  for (const r of cfg.resolvers) add(normalizeResolver(r)!, cfg.names, 'config');
  for (const r of cfg.clusterDns) add(normalizeResolver(r)!, [...cfg.names, ...cfg.clusterNames], 'cluster');
  return out;
}

/** One resolver's check from its lookups: ok, slow, or the most common failure. */
function verdict(server: string, results: Lookup[], sources: string[], slowSeconds: number): TargetResult {
  const check = `dns:${server}`;
  const failed = results.filter((r) => r.result !== 'ok');
  const slowest = Math.max(0, ...results.map((r) => r.seconds));
  const details = {
    resolver: server,
    sources,
    lookups: results.map((r) => ({ name: r.name, result: r.result, seconds: r.seconds })),
    successRatio: results.length ? (results.length - failed.length) / results.length : 1,
    slowestSeconds: slowest,
  };
  if (failed.length === 0) {
    return answered(
      check,
      slowest,
      slowSeconds,
      `resolver ${server} answered ${results.length} names, slowest in ${(slowest * 1000).toFixed(0)} ms`,
      details,
    );
  }
  // The most common failure names the problem (ties: first seen).
  const counts = new Map<DnsResult, number>();
  for (const f of failed) counts.set(f.result, (counts.get(f.result) ?? 0) + 1);
  const reason = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0] as Exclude<DnsResult, 'ok'>;
  const all = failed.length === results.length;
  const names = failed.map((f) => `${f.name} (${f.result})`).join(', ');
  return {
    check,
    ok: false,
    reason,
    severity: all ? 'failed' : 'degraded',
    message: `resolver ${server}: ${all ? 'every name failed' : `${failed.length} of ${results.length} names failed`}, mostly ${MEANING[reason]}: ${names}`,
    details,
  };
}

export const dnsProbe = defineProbe({
  name: 'dns',
  configSchema: dnsConfigSchema,
  create(cfg, env) {
    const registers = [env.registry];
    const up = new Gauge({
      name: 'faultline_dns_up',
      help: 'Whether the resolver resolved at least one watched name in the last round.',
      labelNames: ['resolver'],
      registers,
    });
    const duration = new Gauge({
      name: 'faultline_dns_lookup_duration_seconds',
      help: 'Slowest lookup through the resolver in the last round, in seconds (the timeout when it did not answer).',
      labelNames: ['resolver'],
      registers,
    });
    const lookups = new Counter({
      name: 'faultline_dns_lookups_total',
      help: 'Lookups through the resolver by result (ok, timeout, servfail, nxdomain, refused, error).',
      labelNames: ['resolver', 'result'],
      registers,
    });
    const clients = new Map<string, Resolver>();
    const client = (server: string) => {
      let r = clients.get(server);
      if (!r) {
        r = new Resolver({ timeout: cfg.queryTimeoutMs, tries: 1 });
        r.setServers([server]);
        clients.set(server, r);
        for (const result of DNS_RESULTS) lookups.inc({ resolver: server, result }, 0);
      }
      return r;
    };

    return {
      async run(signal) {
        const servers = await discover(cfg, env.paths);
        const onAbort = () => {
          for (const r of clients.values()) r.cancel();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        let targets: TargetResult[];
        try {
          targets = await Promise.all(
            [...servers.entries()].map(async ([server, { names, sources }]) => {
              const c = client(server);
              const results = await Promise.all(names.map((n) => lookup(c, n)));
              for (const r of results) lookups.inc({ resolver: server, result: r.result });
              up.set({ resolver: server }, results.some((r) => r.result === 'ok') ? 1 : 0);
              duration.set({ resolver: server }, Math.max(0, ...results.map((r) => r.seconds)));
              return verdict(server, results, sources, cfg.slowSeconds);
            }),
          );
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
        for (const server of clients.keys()) if (!servers.has(server)) clients.delete(server);
        const bad = targets.filter((t) => !t.ok).length;
        return {
          ok: true,
          reason: 'ok',
          message: `${targets.length} resolvers checked, ${bad} failing`,
          targets,
        };
      },
      close() {
        for (const r of clients.values()) r.cancel();
        clients.clear();
      },
    };
  },
});
