/**
 * Mount responsiveness: stat + statfs of every network/FUSE mount (and configured paths) from a
 * sacrificial child with the run's deadline. The agent itself never touches these paths (principle 1):
 * a hung stat in our process would park a libuv thread for good, and four of them freeze every fs call.
 */
import { Gauge } from 'prom-client';
import { z } from 'zod';
import { isHangProneType, type MountInfoEntry } from '../../host/mountinfo.ts';
import { defineProbe, type TargetResult } from '../probe.ts';
import { type MountCheck, MountSandbox } from '../sandbox/mount-sandbox.ts';

const absolutePath = z.string().regex(/^\//, 'must be an absolute path');

export const mountsConfigSchema = z.strictObject({
  /** Probe the hang-prone mounts (NFS, CIFS, Ceph, 9p, FUSE…) found in mountinfo. */
  discover: z.boolean().default(true),
  /** Extra paths to probe (e.g. a hostPath a workload depends on). */
  paths: z.array(absolutePath).default([]),
  /** Mountpoints under these prefixes are not probed. */
  exclude: z.array(absolutePath).default([]),
  /** Extra filesystem types to treat as hang-prone (e.g. "fuse.sshfs" is already covered; "lustre"). */
  fstypes: z.array(z.string().min(1)).default([]),
  /** Whose mount table: "self" (the agent's namespace) or "1" (the host's, with hostPID). */
  mountinfoPid: z.union([z.literal('self'), z.literal('1')]).default('self'),
  /** Prefix for discovered mountpoints when the host's root is mounted into the container (e.g. "/host"). */
  hostRoot: z.string().default(''),
  /** A responsive mount slower than this (seconds) is reported degraded. */
  slowSeconds: z.number().positive().default(1),
  /** Cap on probe children out at once over all mounts (a stuck one may be a D-state process). */
  maxChildren: z.number().int().min(1).default(64),
  /** The probe child: "coreutils" (sh + stat, ~2 ms CPU), "node" (~100 ms CPU), "auto" = coreutils if present. */
  runner: z.enum(['auto', 'coreutils', 'node']).default('auto'),
});

export type MountsConfig = z.output<typeof mountsConfigSchema>;

interface Target {
  /** Path as the operator knows it (the mountpoint in mountinfo, or the configured path). */
  path: string;
  /** Path the child stats (hostRoot + path). */
  probePath: string;
  fstype: string;
  source?: string;
  /** Other mountpoints of the same superblock (bind mounts, kubelet's globalmount + pod paths). */
  alsoAt: string[];
}

/** Discovered hang-prone mounts, one per superblock (device): if one path hangs, all of them do. */
export function selectMounts(entries: MountInfoEntry[], cfg: MountsConfig): Target[] {
  const extra = new Set(cfg.fstypes);
  const byDevice = new Map<string, Target>();
  const out: Target[] = [];
  for (const e of entries) {
    if (!isHangProneType(e.fsType) && !extra.has(e.fsType)) continue;
    if (cfg.exclude.some((p) => e.mountPoint === p || e.mountPoint.startsWith(`${p.replace(/\/$/, '')}/`)))
      continue;
    const seen = byDevice.get(e.majorMinor);
    if (seen) {
      seen.alsoAt.push(e.mountPoint);
      continue;
    }
    const t: Target = {
      path: e.mountPoint,
      probePath: `${cfg.hostRoot.replace(/\/$/, '')}${e.mountPoint}`,
      fstype: e.fsType,
      source: e.source,
      alsoAt: [],
    };
    byDevice.set(e.majorMinor, t);
    out.push(t);
  }
  return out;
}

/** The mount a path lives on: the longest mountpoint prefix, the last (topmost) one when stacked. */
export function containingMount(entries: MountInfoEntry[], path: string): MountInfoEntry | undefined {
  let best: MountInfoEntry | undefined;
  for (const e of entries) {
    const mp = e.mountPoint;
    const inside = path === mp || mp === '/' || path.startsWith(`${mp}/`);
    if (inside && (!best || mp.length >= best.mountPoint.length)) best = e;
  }
  return best;
}

const ERROR_REASONS: Record<string, string> = {
  ENOTCONN: 'disconnected',
  ESTALE: 'stale',
  EIO: 'io_error',
  ENOENT: 'missing',
  EACCES: 'permission_denied',
  EPERM: 'permission_denied',
};

function toTarget(t: Target, c: MountCheck, cfg: MountsConfig): TargetResult {
  const check = `mount:${t.path}`;
  const base = {
    fstype: t.fstype,
    source: t.source,
    ...(t.alsoAt.length ? { alsoMountedAt: t.alsoAt } : {}),
  };
  switch (c.status) {
    case 'responsive': {
      const slow = c.seconds > cfg.slowSeconds;
      return {
        check,
        ok: true,
        reason: slow ? 'slow' : 'ok',
        severity: slow ? 'degraded' : 'ok',
        message: slow
          ? `${t.path} answered stat/statfs but took ${c.seconds.toFixed(2)} s`
          : `${t.path} answered stat/statfs in ${(c.seconds * 1000).toFixed(0)} ms`,
        details: {
          ...base,
          seconds: c.seconds,
          statSeconds: c.report.statSeconds,
          statfsSeconds: c.report.statfsSeconds,
          fsMagic: c.report.fsType === undefined ? undefined : `0x${c.report.fsType.toString(16)}`,
        },
      };
    }
    case 'error':
      return {
        check,
        ok: false,
        reason: ERROR_REASONS[c.code] ?? 'fs_error',
        severity: 'failed',
        message: `${t.path}: ${c.message}`,
        details: { ...base, code: c.code, seconds: c.seconds },
      };
    case 'hung':
      return {
        check,
        ok: false,
        reason: 'hung',
        severity: 'failed',
        message: c.spawned
          ? `${t.path} did not answer stat/statfs before the deadline; the probe child is stuck`
          : `${t.path} still hung: the probe child sent ${c.stuckSeconds.toFixed(0)} s ago has not returned`,
        details: { ...base, stuck: c.stuck, stuckSeconds: c.stuckSeconds },
      };
    case 'capped':
      return {
        check,
        ok: false,
        reason: 'not_probed',
        severity: 'degraded',
        message: `${t.path} not probed: ${c.outstanding} probe children already out (cap ${c.cap})`,
        details: { ...base, outstanding: c.outstanding },
      };
    case 'probe_failed':
      return {
        check,
        ok: false,
        reason: 'probe_error',
        severity: 'degraded',
        message: `${t.path} could not be probed: ${c.message}`,
        details: base,
      };
  }
}

export const mountsProbe = defineProbe({
  name: 'mounts',
  configSchema: mountsConfigSchema,
  // ~85 lines: the metrics, the sandbox of stat children and run() that feeds them; the selection
  // (selectMounts) and the verdicts live at top level.
  create(cfg, env) {
    const registers = [env.registry];
    const responsive = new Gauge({
      name: 'faultline_mount_responsive',
      help: 'Whether stat+statfs of the mount returned before the deadline (1) or not (0).',
      labelNames: ['mountpoint', 'fstype'],
      registers,
    });
    const stuck = new Gauge({
      name: 'faultline_mount_probe_stuck',
      help: 'Probe child processes sent to the mount that have not come back (at most one per mount).',
      labelNames: ['mountpoint'],
      registers,
    });
    const duration = new Gauge({
      name: 'faultline_mount_probe_duration_seconds',
      help: 'Time the last stat+statfs of the mount took, in seconds (the deadline when it hung).',
      labelNames: ['mountpoint'],
      registers,
    });
    const sandbox = new MountSandbox({ maxChildren: cfg.maxChildren, runner: cfg.runner });

    return {
      async run(signal) {
        const targets: Target[] = [];
        let tableError: string | undefined;
        let entries: MountInfoEntry[] = [];
        if (cfg.discover || cfg.paths.length > 0) {
          try {
            const mi = await env.mounts.read(cfg.mountinfoPid);
            for (const e of mi.errors) env.log('warn', 'unparsable mountinfo line', { file: mi.file, ...e });
            entries = mi.entries;
          } catch (e) {
            tableError = (e as Error).message;
          }
        }
        if (cfg.discover) targets.push(...selectMounts(entries, cfg));
        const known = new Set(targets.map((t) => t.path));
        for (const p of cfg.paths) {
          if (known.has(p)) continue;
          // The filesystem a configured path lives on, from the table alone (no fs call on the path);
          // only meaningful when the table is our own namespace's.
          const fstype =
            cfg.mountinfoPid === 'self' ? (containingMount(entries, p)?.fsType ?? 'path') : 'path';
          targets.push({ path: p, probePath: p, fstype, alsoAt: [] });
        }

        const t0 = Date.now();
        const checks = await Promise.all(targets.map((t) => sandbox.check(t.probePath, signal)));
        const results = targets.map((t, i) => toTarget(t, checks[i]!, cfg));

        targets.forEach((t, i) => {
          const c = checks[i]!;
          // Not probed this round (cap, child start-up failure) says nothing new: keep the last value.
          if (c.status !== 'capped' && c.status !== 'probe_failed') {
            responsive.set({ mountpoint: t.path, fstype: t.fstype }, c.status === 'responsive' ? 1 : 0);
          }
          stuck.set({ mountpoint: t.path }, sandbox.stuck(t.probePath));
          duration.set(
            { mountpoint: t.path },
            c.status === 'responsive' || c.status === 'error' ? c.seconds : (Date.now() - t0) / 1000,
          );
        });

        const hung = results.filter((r) => r.reason === 'hung').length;
        if (tableError) {
          return {
            ok: false,
            reason: 'mountinfo_unreadable',
            message: `cannot read the mount table (${tableError}); probed ${targets.length} configured paths`,
            targets: results,
          };
        }
        return {
          ok: true,
          reason: 'ok',
          message: `${targets.length} mounts probed, ${hung} hung, ${sandbox.totalStuck()} probe children stuck`,
          targets: results,
        };
      },
      close() {
        sandbox.close();
      },
    };
  },
});
