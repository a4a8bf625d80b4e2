/**
 * The probe contract (the blackbox_exporter model): every probe has the same shape, takes its deadline
 * from an AbortSignal, and returns why, not just whether. The harness owns timing, success and duration
 * metrics; a probe registers only its own metrics.
 * To add a probe: one file in probes/, one test in test/agent/probes/, one line in probes/index.ts.
 */
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { MountInfoCache } from '../host/mountinfo.ts';
import type { Resolver } from '../host/names.ts';
import type { HostPaths } from '../host/paths.ts';
import type { Log } from './log.ts';
import { RunSeries } from './series.ts';

export { DEFAULT_HOST_PATHS, type HostPaths } from '../host/paths.ts';

/** Outcome for one thing a probe watches (an NFS server, a mount, a resolver…). */
export interface TargetResult {
  /** Stable check id, e.g. "nfs-server:10.0.0.5:2049", "mount:/var/lib/loki", "dns:10.43.0.10:53". */
  check: string;
  ok: boolean;
  /** Machine-readable reason: "ok", "refused", "unreachable", "rpc_timeout", "hung", "timeout", "servfail"… */
  reason: string;
  /** One sentence an operator can act on. */
  message: string;
  /** Measurements that support the verdict (latencies, counts, raw states). */
  details?: Record<string, unknown>;
  /** degraded = working but impaired (slow, partial); default derived from ok. */
  severity?: 'ok' | 'degraded' | 'failed';
}

/** A target that answered: ok, or degraded ("slow") when it took longer than `slowSeconds`. */
export function answered(
  check: string,
  seconds: number,
  slowSeconds: number,
  message: string,
  details: Record<string, unknown>,
): TargetResult {
  const slow = seconds > slowSeconds;
  return {
    check,
    ok: true,
    reason: slow ? 'slow' : 'ok',
    severity: slow ? 'degraded' : 'ok',
    message,
    details,
  };
}

export interface ProbeResult {
  /** False when the probe itself could not run (not when a target is unhealthy). */
  ok: boolean;
  reason: string;
  message: string;
  targets: TargetResult[];
}

export interface ProbeEnv {
  paths: HostPaths;
  registry: Registry;
  /** Structured log line (stderr JSON in production, captured in tests). */
  log: Log;
  /** Name resolution (src/host/names.ts); default: /etc/hosts under paths.etc, then c-ares. */
  resolver?: Resolver;
  /** The round's mount tables, read once and shared by every probe (src/host/mountinfo.ts). */
  mounts: MountInfoCache;
}

export interface ProbeInstance {
  run(signal: AbortSignal): Promise<ProbeResult>;
  /** Release timers, sockets and child processes. */
  close?(): Promise<void> | void;
}

export interface ProbeDefinition<S extends z.ZodType = z.ZodType> {
  /** Config key and metric label, e.g. "nfs", "mounts", "dstate", "dns", "cilium". */
  name: string;
  /** Strict zod schema with defaults; `enabled` is handled by the harness. */
  configSchema: S;
  create(config: z.output<S>, env: ProbeEnv): ProbeInstance;
}

/**
 * A probe as registered: its `create` is wrapped so the framework owns the lifecycle of its metric
 * series (src/agent/series.ts) — a probe sets what it saw, and never removes series by hand.
 */
export function defineProbe<S extends z.ZodType>(def: ProbeDefinition<S>): ProbeDefinition<S> {
  return {
    ...def,
    create(config, env) {
      const before = new Set(env.registry.getMetricsAsArray().map((m) => m.name));
      const instance = def.create(config, env);
      const series = new RunSeries(env.registry, before);
      return {
        async run(signal) {
          try {
            return await instance.run(signal);
          } finally {
            series.sweep();
          }
        },
        ...(instance.close ? { close: () => instance.close?.() } : {}),
      };
    },
  };
}
