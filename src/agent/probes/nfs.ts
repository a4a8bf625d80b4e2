/**
 * NFS server liveness: an ONC RPC NULL call (program 100003) to every server the node mounts from plus
 * configured ones. Unlike a TCP-connect check (blackbox_exporter's tcp module), it sees a hung server:
 * the kernel completes the handshake, the server never answers (reason `rpc_timeout`).
 */

import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import { NFS_PORT, parseServer, serverKey } from '../../host/endpoint.ts';
import { isNfsType, type MountInfoEntry } from '../../host/mountinfo.ts';
import { LastKnownGood, systemResolver } from '../../host/names.ts';
import { splitOptions } from '../../nfs/mount-options.ts';
import { answered, defineProbe, type TargetResult } from '../probe.ts';
import {
  PROG_MOUNT,
  PROG_NFS,
  portmapGetPort,
  type RpcCallResult,
  type RpcFailureReason,
  rpcNull,
} from '../rpc/onc-rpc.ts';

export { NFS_PORT, parseServer, serverKey };

const serverString = z.string().refine((s) => parseServer(s) !== undefined, {
  message: 'expected "host", "host:port" or "[ipv6]:port"',
});

export const nfsConfigSchema = z.strictObject({
  /** Servers to watch besides those found in mountinfo ("host[:port]", port default 2049; a fully qualified
   * name or one in /etc/hosts: resolution goes through c-ares, which applies no resolv.conf search list). */
  servers: z.array(serverString).default([]),
  /** Also watch every server the node has an nfs/nfs4 mount from. */
  discover: z.boolean().default(true),
  /** NFS versions to call for configured servers; a server is up when any of them answers. */
  versions: z
    .array(z.union([z.literal(3), z.literal(4)]))
    .min(1)
    .default([3, 4]),
  /** Whose mount table: "self" or "1" (the host's, with hostPID). */
  mountinfoPid: z.union([z.literal('self'), z.literal('1')]).default('self'),
  /** Also ask the server's portmapper (port 111) for the NFS port: NFSv3 clients need it. */
  portmapper: z.boolean().default(false),
  /** Also find mountd (program 100005 v3) through the portmapper and call its NULL procedure. */
  mountd: z.boolean().default(false),
  /** An answer slower than this (seconds) is degraded. */
  slowSeconds: z.number().positive().default(1),
  /** Configured hostnames are resolved once and then only this often (ms), keeping the last good address. */
  resolveEveryMs: z.number().int().min(1000).default(600_000),
});

export type NfsConfig = z.output<typeof nfsConfigSchema>;

interface Server {
  /** As written (config) or found (mountinfo addr=): label and check id use it. */
  host: string;
  port: number;
  versions: number[];
  /** Mountpoints using this server (discovered) — evidence for the operator. */
  mounts: string[];
  configured: boolean;
}

function majorVersion(opts: Map<string, string | undefined>): number | undefined {
  const v = opts.get('vers') ?? opts.get('nfsvers');
  if (v === undefined) return undefined;
  const major = Number.parseInt(v, 10);
  return major === 3 || major === 4 ? major : undefined;
}

/** NFS servers from mountinfo: the kernel's resolved `addr=` (no DNS needed), `port=` or 2049. */
export function serversFromMounts(entries: MountInfoEntry[]): Server[] {
  const byKey = new Map<string, Server>();
  for (const e of entries) {
    if (!isNfsType(e.fsType)) continue;
    const opts = new Map(splitOptions(e.superOptions).map((o) => [o.name, o.value]));
    const host = opts.get('addr');
    if (!host) continue;
    const portOpt = Number(opts.get('port') ?? 0);
    const port = portOpt > 0 ? portOpt : NFS_PORT;
    const vers = majorVersion(opts) ?? (e.fsType === 'nfs4' ? 4 : 3);
    const key = serverKey(host, port);
    const s = byKey.get(key) ?? { host, port, versions: [], mounts: [], configured: false };
    if (!s.versions.includes(vers)) s.versions.push(vers);
    s.mounts.push(e.mountPoint);
    byKey.set(key, s);
  }
  return [...byKey.values()];
}

/** mountd's port from the server's portmapper, then its NULL procedure: what an NFSv3 mount needs first. */
async function checkMountd(
  host: string,
  signal: AbortSignal,
): Promise<{ ok: true; port: number } | { ok: false; reason: string; message: string }> {
  const pm = await portmapGetPort(host, PROG_MOUNT, 3, signal);
  if (!pm.ok) return { ok: false, reason: pm.reason, message: `portmapper: ${pm.message}` };
  if (pm.port === 0)
    return {
      ok: false,
      reason: 'not_registered',
      message: 'mountd v3 is not registered with the portmapper',
    };
  const r = await rpcNull({ host, port: pm.port, prog: PROG_MOUNT, vers: 3 }, signal);
  return r.ok ? { ok: true, port: pm.port } : { ok: false, reason: r.reason, message: r.message };
}

/** Worst first: the reason an operator most needs to see when every version failed. */
const REASON_RANK: RpcFailureReason[] = ['rpc_timeout', 'unreachable', 'refused', 'rpc_error'];
const FAILURE_REASONS = [...REASON_RANK, 'unresolved'] as const;

const HINTS: Record<string, string> = {
  rpc_timeout:
    'the server accepts TCP but does not answer RPC: it is hung, and processes using its hard mounts will block in state D',
  unreachable: 'no route to the server or it does not answer TCP: host or network down',
  refused: 'nothing listens on the NFS port: the NFS service is down on a host that is up',
  rpc_error: 'the server answered, but not with SUCCESS',
};

function nfsMetrics(registry: Registry) {
  const registers = [registry];
  return {
    up: new Gauge({
      name: 'faultline_nfs_server_up',
      help: 'Whether the NFS server answered an RPC NULL call (any watched version) before the deadline.',
      labelNames: ['server'],
      registers,
    }),
    rtt: new Gauge({
      name: 'faultline_nfs_rpc_null_duration_seconds',
      help: 'Time from connect to the RPC NULL reply of the fastest answering version, in seconds.',
      labelNames: ['server'],
      registers,
    }),
    reason: new Gauge({
      name: 'faultline_nfs_server_failure_reason',
      help: 'Why the NFS server is down: 1 for the current reason (refused, unreachable, rpc_timeout, rpc_error, unresolved), else 0.',
      labelNames: ['server', 'reason'],
      registers,
    }),
  };
}

/** The servers of this run: those of the node's NFS mounts, plus the configured ones. */
function watchList(cfg: NfsConfig, fromMounts: Server[]): Server[] {
  const servers = new Map<string, Server>();
  for (const s of fromMounts) servers.set(serverKey(s.host, s.port), s);
  for (const text of cfg.servers) {
    const p = parseServer(text)!;
    const key = serverKey(p.host, p.port);
    const s = servers.get(key);
    if (s) {
      s.configured = true;
      for (const v of cfg.versions) if (!s.versions.includes(v)) s.versions.push(v);
    } else {
      servers.set(key, { ...p, versions: [...cfg.versions], mounts: [], configured: true });
    }
  }
  return [...servers.values()];
}

type PortmapResult = Awaited<ReturnType<typeof portmapGetPort>>;
type MountdResult = Awaited<ReturnType<typeof checkMountd>>;

/** RPC NULL to every watched version at `address`, and the v3 side services when asked for. */
async function callServer(s: Server, address: string, cfg: NfsConfig, signal: AbortSignal) {
  const [calls, pm, md] = await Promise.all([
    Promise.all(
      s.versions.map(async (vers) => ({
        vers,
        r: await rpcNull({ host: address, port: s.port, prog: PROG_NFS, vers }, signal),
      })),
    ),
    cfg.portmapper ? portmapGetPort(address, PROG_NFS, 3, signal) : undefined,
    cfg.mountd ? checkMountd(address, signal) : undefined,
  ]);
  const perVersion = Object.fromEntries(
    calls.map(({ vers, r }) => [
      `v${vers}`,
      r.ok ? { ok: true, seconds: r.rpcSeconds } : { ok: false, reason: r.reason, message: r.message },
    ]),
  );
  const details: Record<string, unknown> = {
    server: serverKey(s.host, s.port),
    versions: s.versions,
    ...(s.mounts.length ? { mounts: s.mounts } : {}),
    ...(address !== s.host ? { address } : {}),
    perVersion,
    ...(pm
      ? {
          portmapper: pm.ok
            ? { ok: true, nfsPort: pm.port }
            : { ok: false, reason: pm.reason, message: pm.message },
        }
      : {}),
    ...(md
      ? {
          mountd: md.ok ? { ok: true, port: md.port } : { ok: false, reason: md.reason, message: md.message },
        }
      : {}),
  };
  return { calls, pm, md, details };
}

/** Up when any version answered (degraded when slow or a v3 side service fails); else the worst failure. */
function serverVerdict(
  key: string,
  c: Awaited<ReturnType<typeof callServer>>,
  slowSeconds: number,
): TargetResult {
  const check = `nfs-server:${key}`;
  const { calls, pm, md, details } = c;
  const good = calls.filter((x): x is { vers: number; r: RpcCallResult & { ok: true } } => x.r.ok);
  if (good.length > 0) {
    const seconds = Math.min(...good.map((g) => g.r.rpcSeconds));
    details.seconds = seconds;
    // NFS answers but a v3 side service does not (portmapper first: mountd is found through it).
    const side: { name: string; r: (PortmapResult | MountdResult) & { ok: false } } | undefined =
      pm && !pm.ok ? { name: 'portmapper', r: pm } : md && !md.ok ? { name: 'mountd', r: md } : undefined;
    if (side) {
      return {
        check,
        ok: true,
        reason: `${side.name}_${side.r.reason}`,
        severity: 'degraded',
        message: `NFS server ${key} answers RPC NULL but its ${side.name} does not (${side.r.message}); new NFSv3 mounts will fail`,
        details,
      };
    }
    return answered(
      check,
      seconds,
      slowSeconds,
      `NFS server ${key} answered RPC NULL (v${good.map((g) => g.vers).join(', v')}) in ${(seconds * 1000).toFixed(0)} ms`,
      details,
    );
  }
  const failures = calls.map((x) => x.r).filter((r): r is RpcCallResult & { ok: false } => !r.ok);
  const worst = [...failures].sort(
    (a, b) => REASON_RANK.indexOf(a.reason) - REASON_RANK.indexOf(b.reason),
  )[0]!;
  return {
    check,
    ok: false,
    reason: worst.reason,
    severity: 'failed',
    message: `NFS server ${key}: ${worst.message} — ${HINTS[worst.reason]}`,
    details,
  };
}

export const nfsProbe = defineProbe({
  name: 'nfs',
  configSchema: nfsConfigSchema,
  create(cfg, env) {
    const m = nfsMetrics(env.registry);
    /** Last known good address per configured hostname (DNS may be the thing that is down). */
    const names = new LastKnownGood({
      resolver: env.resolver ?? systemResolver({ hostsFile: join(env.paths.etc, 'hosts') }),
      refreshMs: cfg.resolveEveryMs,
    });

    async function probeServer(s: Server, signal: AbortSignal): Promise<TargetResult> {
      const key = serverKey(s.host, s.port);
      let address: string | undefined;
      try {
        address = (await names.addresses(s.host))[0];
      } catch (e) {
        env.log('warn', 'cannot resolve NFS server name and no address is known yet', {
          host: s.host,
          error: (e as Error).message,
        });
      }
      if (!address) {
        return {
          check: `nfs-server:${key}`,
          ok: false,
          reason: 'unresolved',
          severity: 'failed',
          message: `cannot resolve ${s.host} and no address is known yet`,
          details: { server: key, versions: s.versions, ...(s.mounts.length ? { mounts: s.mounts } : {}) },
        };
      }
      return serverVerdict(key, await callServer(s, address, cfg, signal), cfg.slowSeconds);
    }

    return {
      async run(signal) {
        let fromMounts: Server[] = [];
        let tableError: string | undefined;
        if (cfg.discover) {
          try {
            fromMounts = serversFromMounts((await env.mounts.read(cfg.mountinfoPid)).entries);
          } catch (e) {
            tableError = (e as Error).message;
          }
        }
        const list = watchList(cfg, fromMounts);
        const targets = await Promise.all(list.map((s) => probeServer(s, signal)));
        targets.forEach((t, i) => {
          const key = serverKey(list[i]!.host, list[i]!.port);
          m.up.set({ server: key }, t.ok ? 1 : 0);
          const seconds = t.details?.seconds;
          // No answer, no round-trip time (the framework drops the series rather than freeze it).
          if (typeof seconds === 'number') m.rtt.set({ server: key }, seconds);
          for (const r of FAILURE_REASONS)
            m.reason.set({ server: key, reason: r }, !t.ok && t.reason === r ? 1 : 0);
        });
        const down = targets.filter((t) => !t.ok).length;
        if (tableError) {
          return {
            ok: false,
            reason: 'mountinfo_unreadable',
            message: `cannot read the mount table (${tableError}); checked ${list.length} configured servers`,
            targets,
          };
        }
        return {
          ok: true,
          reason: 'ok',
          message: `${list.length} NFS servers checked, ${down} down`,
          targets,
        };
      },
    };
  },
});
