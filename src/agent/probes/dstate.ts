/**
 * The kernel's own view of a freeze in the making, read from procfs (never from a watched mount):
 * processes in state D grouped by what they wait on, hung-task reports from /dev/kmsg, IO pressure
 * (PSI), and NFS client retransmissions / major timeouts from mountstats.
 * Each is a separate check so one missing source (no PSI, no CAP_SYSLOG) does not blind the others.
 */
import { join } from 'node:path';
import { Counter, Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import { NFS_PORT, serverKey } from '../../host/endpoint.ts';
import { KmsgReader } from '../../host/kmsg.ts';
import { type MountInfoEntry, parseMountInfo } from '../../host/mountinfo.ts';
import { parseMountStats } from '../../host/mountstats.ts';
import { parsePressure } from '../../host/pressure.ts';
import { readBounded } from '../../host/read.ts';
import { type DStateTask, scanDState } from '../../host/tasks.ts';
import { parseHungTask } from '../../kernel/hung-task.ts';
import { classifyStack, SUBSYSTEMS, type Subsystem } from '../../kernel/stack.ts';
import { splitOptions } from '../../nfs/mount-options.ts';
import { defineProbe, type TargetResult } from '../probe.ts';

export const dstateConfigSchema = z.strictObject({
  /** Processes in D state on NFS/FUSE at or above this count make the check failed (1+ is degraded). */
  failedAt: z.number().int().min(1).default(10),
  /** Stop a scan after this many tasks (threads). */
  maxTasks: z.number().int().min(100).default(100_000),
  /** Open files inspected per D-state process to attribute page-cache waits to a filesystem. */
  maxFds: z.number().int().min(0).default(256),
  /** D-state processes listed in the check's details (PIDs never become metric labels). */
  top: z.number().int().min(0).default(5),
  /** Read hung-task reports from the kernel log (needs CAP_SYSLOG or kernel.dmesg_restrict=0). */
  kmsg: z.boolean().default(true),
  /** A hung-task report keeps the check failed for this long (ms); the kernel repeats every 120 s. */
  hungTaskHoldMs: z.number().int().min(0).default(600_000),
  /** PSI io "some" avg10 (0..1) above which the pressure check is degraded. */
  ioSomeDegraded: z.number().min(0).max(1).default(0.4),
  pressure: z.boolean().default(true),
  mountstats: z.boolean().default(true),
  /** Whose mount table and mountstats: "self" or "1" (the host's, with hostPID). */
  mountinfoPid: z.union([z.literal('self'), z.literal('1')]).default('self'),
});

export type DStateConfig = z.output<typeof dstateConfigSchema>;

const RANK = Object.fromEntries(SUBSYSTEMS.map((s, i) => [s, i])) as Record<Subsystem, number>;

interface ProcessVerdict {
  pid: number;
  comm: string;
  subsystem: Subsystem;
  wchan: string;
  threads: number;
}

/** One verdict per process: its most telling thread (nfs > fuse > block > nfsd > other). */
export function groupProcesses(
  tasks: DStateTask[],
  fsTypeOf: (pid: number, mountId: number) => string | undefined,
): ProcessVerdict[] {
  const byPid = new Map<number, ProcessVerdict>();
  for (const t of tasks) {
    const fsTypes = t.mountIds.map((id) => fsTypeOf(t.pid, id)).filter((x): x is string => x !== undefined);
    const subsystem = classifyStack(t.wchan, t.stack, fsTypes);
    const seen = byPid.get(t.pid);
    if (!seen) {
      byPid.set(t.pid, { pid: t.pid, comm: t.comm, subsystem, wchan: t.wchan, threads: 1 });
      continue;
    }
    seen.threads++;
    if (RANK[subsystem] < RANK[seen.subsystem]) {
      seen.subsystem = subsystem;
      seen.wchan = t.wchan;
    }
  }
  return [...byPid.values()];
}

function dstateMetrics(registry: Registry) {
  const registers = [registry];
  return {
    dstate: new Gauge({
      name: 'faultline_dstate_processes',
      help: 'Processes with a task in uninterruptible sleep (state D), by what they wait on (nfs client, fuse, block, nfsd server threads, other).',
      labelNames: ['subsystem'],
      registers,
    }),
    hungTasks: new Counter({
      name: 'faultline_kernel_hung_task_reports_total',
      help: 'Kernel "task … blocked for more than N seconds" reports read from /dev/kmsg since the agent started.',
      registers,
    }),
    pressure: new Gauge({
      name: 'faultline_pressure_io_stalled_ratio',
      help: 'Share of wall time (0..1) in which some (or all) non-idle tasks stalled on IO (PSI), over the window.',
      labelNames: ['kind', 'window'],
      registers,
    }),
    retrans: new Counter({
      name: 'faultline_nfs_rpc_retransmissions_total',
      help: 'NFS client RPC retransmissions to the server, summed over its mounts (from mountstats).',
      labelNames: ['server'],
      registers,
    }),
    majorTimeouts: new Counter({
      name: 'faultline_nfs_rpc_major_timeouts_total',
      help: 'NFS client RPC major timeouts (timeo × retrans passed: "server not responding"), summed over its mounts.',
      labelNames: ['server'],
      registers,
    }),
  };
}
type DStateMetrics = ReturnType<typeof dstateMetrics>;

/** Processes in D state grouped by what they wait on (the "dstate" check). */
async function blockedProcesses(
  cfg: DStateConfig,
  proc: string,
  entries: MountInfoEntry[],
  signal: AbortSignal,
  m: DStateMetrics,
): Promise<{ target: TargetResult; processes: number; truncated: boolean; scannedTasks: number }> {
  const fsById = new Map(entries.map((e) => [e.mountId, e.fsType]));
  const scan = await scanDState({ proc, signal, maxTasks: cfg.maxTasks, maxFds: cfg.maxFds });
  // Processes in other mount namespaces (containers) have mounts we do not list: ask their own table.
  const foreign = new Map<number, Map<number, string>>();
  for (const t of scan.tasks) {
    // Past the deadline the rest classify by wchan/stack alone, as the scan does for its own tail.
    if (signal.aborted) break;
    if (t.mountIds.every((id) => fsById.has(id)) || foreign.has(t.pid)) continue;
    const text = await readBounded(join(proc, String(t.pid), 'mountinfo'), 4 * 1024 * 1024).catch(
      () => undefined,
    );
    foreign.set(t.pid, new Map(parseMountInfo(text ?? '').entries.map((e) => [e.mountId, e.fsType])));
  }
  const procs = groupProcesses(scan.tasks, (pid, id) => fsById.get(id) ?? foreign.get(pid)?.get(id));
  const counts = Object.fromEntries(SUBSYSTEMS.map((s) => [s, 0])) as Record<Subsystem, number>;
  for (const p of procs) counts[p.subsystem]++;
  for (const s of SUBSYSTEMS) m.dstate.set({ subsystem: s }, counts[s]);

  const network = counts.nfs + counts.fuse;
  const top = [...procs]
    .sort((a, b) => RANK[a.subsystem] - RANK[b.subsystem])
    .slice(0, cfg.top)
    .map(({ pid, comm, subsystem, wchan, threads }) => ({ pid, comm, subsystem, wchan, threads }));
  const target: TargetResult = {
    check: 'dstate',
    ok: network === 0,
    reason: network === 0 ? 'ok' : 'dstate_network_fs',
    severity: network === 0 ? 'ok' : network >= cfg.failedAt ? 'failed' : 'degraded',
    message:
      network === 0
        ? `no process blocked on NFS or FUSE (D state: ${counts.block} block, ${counts.other} other)`
        : `${network} processes blocked in D state on network/FUSE filesystems (nfs ${counts.nfs}, fuse ${counts.fuse})`,
    details: {
      counts,
      top,
      scannedTasks: scan.scannedTasks,
      ...(scan.truncated ? { truncated: true } : {}),
    },
  };
  return { target, processes: procs.length, truncated: scan.truncated, scannedTasks: scan.scannedTasks };
}

/**
 * Hung-task reports from /dev/kmsg (the "kernel-hung-task" check). The first read drains the ring
 * buffer: reports from before the agent started are history, kept as evidence but neither counted
 * nor alerted on (a restart must not re-alert them).
 */
export class HungTaskReports {
  #primed = false;
  readonly #recent: { task: string; pid: number; seconds: number; seenAt: number }[] = [];
  readonly #beforeStart: { task: string; pid: number; seconds: number }[] = [];

  constructor(
    private readonly reader: KmsgReader,
    private readonly path: string,
    private readonly holdMs: number,
    private readonly counter: Counter,
  ) {}

  read(): TargetResult {
    const check = 'kernel-hung-task';
    let fresh = 0;
    try {
      // Priming drains the whole ring buffer (bounded by log_buf_len) so no history leaks into "new".
      for (const r of this.reader.readAvailable(this.#primed ? 10_000 : Number.MAX_SAFE_INTEGER)) {
        const h = parseHungTask(r.message);
        if (!h) continue;
        if (!this.#primed) {
          this.#beforeStart.push(h);
          if (this.#beforeStart.length > 5) this.#beforeStart.shift();
          continue;
        }
        fresh++;
        this.#recent.push({ ...h, seenAt: Date.now() });
      }
      this.#primed = true;
    } catch (e) {
      return {
        check,
        ok: true,
        reason: 'unavailable',
        severity: 'ok',
        message: `cannot read ${this.path}: ${(e as Error).message}`,
      };
    }
    if (fresh > 0) this.counter.inc(fresh);
    const cutoff = Date.now() - this.holdMs;
    while (this.#recent.length > 0 && this.#recent[0]!.seenAt < cutoff) this.#recent.shift();
    while (this.#recent.length > 20) this.#recent.shift();
    const history = this.#beforeStart.length > 0 ? { beforeStart: this.#beforeStart } : {};
    if (this.#recent.length === 0) {
      return {
        check,
        ok: true,
        reason: 'ok',
        severity: 'ok',
        message: 'no hung-task reports in the kernel log recently',
        details: history,
      };
    }
    const last = this.#recent[this.#recent.length - 1]!;
    return {
      check,
      ok: false,
      reason: 'hung_task_reported',
      severity: 'failed',
      message: `kernel reports task ${last.task}:${last.pid} blocked for more than ${last.seconds} s`,
      details: {
        reports: this.#recent.map(({ task, pid, seconds }) => ({ task, pid, seconds })),
        newThisRun: fresh,
        ...history,
      },
    };
  }

  close(): void {
    this.reader.close();
  }
}

/** IO pressure from PSI (the "pressure-io" check). */
async function ioPressure(proc: string, degradedAt: number, gauge: Gauge): Promise<TargetResult> {
  const check = 'pressure-io';
  const file = join(proc, 'pressure', 'io');
  const text = await readBounded(file, 4096).catch(() => undefined);
  const p = text === undefined ? {} : parsePressure(text);
  if (!p.some) {
    return {
      check,
      ok: true,
      reason: 'unavailable',
      severity: 'ok',
      message: `${file}: no PSI (kernel without psi=1?)`,
    };
  }
  gauge.set({ kind: 'some', window: 'avg10' }, p.some.avg10 / 100);
  if (p.full) gauge.set({ kind: 'full', window: 'avg10' }, p.full.avg10 / 100);
  const high = p.some.avg10 / 100 > degradedAt;
  return {
    check,
    ok: !high,
    reason: high ? 'io_pressure' : 'ok',
    severity: high ? 'degraded' : 'ok',
    message: `tasks stalled on IO ${p.some.avg10.toFixed(1)}% of the last 10 s (all tasks: ${p.full?.avg10.toFixed(1) ?? '?'}%)`,
    details: { some: p.some, full: p.full },
  };
}

interface ServerCounts {
  retrans: number;
  major: number;
  dRetrans: number;
  dMajor: number;
  mounts: string[];
}

/**
 * NFS client retransmissions and major timeouts per server from mountstats (the "nfs-client:<server>"
 * checks). The kernel keeps totals per mount; the last totals turn them into increments.
 */
export class NfsClientCounters {
  /** Last cumulative counters per mount (device + mountpoint). */
  readonly #last = new Map<string, { retrans: number; major: number }>();

  constructor(private readonly m: Pick<DStateMetrics, 'retrans' | 'majorTimeouts'>) {}

  async read(proc: string, pid: string, entries: MountInfoEntry[]): Promise<TargetResult[]> {
    const text = await readBounded(join(proc, pid, 'mountstats'), 8 * 1024 * 1024).catch(() => undefined);
    if (text === undefined) return [];
    // mountstats' opts line has no addr=; mountinfo does: join on the mountpoint.
    const addrByMount = new Map<string, string>();
    for (const e of entries) {
      const o = new Map(splitOptions(e.superOptions).map((x) => [x.name, x.value]));
      const addr = o.get('addr');
      if (addr) addrByMount.set(e.mountPoint, serverKey(addr, Number(o.get('port') ?? 0) || NFS_PORT));
    }
    const perServer = new Map<string, ServerCounts>();
    for (const ms of parseMountStats(text)) {
      const server = addrByMount.get(ms.mountPoint) ?? serverKey(ms.server, NFS_PORT);
      const key = `${ms.device} ${ms.mountPoint}`;
      const prev = this.#last.get(key);
      // A remount resets the kernel's counters: count the new totals from zero.
      const dRetrans =
        prev && ms.retransmissions >= prev.retrans ? ms.retransmissions - prev.retrans : ms.retransmissions;
      const dMajor =
        prev && ms.majorTimeouts >= prev.major ? ms.majorTimeouts - prev.major : ms.majorTimeouts;
      this.#last.set(key, { retrans: ms.retransmissions, major: ms.majorTimeouts });
      this.m.retrans.inc({ server }, dRetrans);
      this.m.majorTimeouts.inc({ server }, dMajor);
      const s = perServer.get(server) ?? { retrans: 0, major: 0, dRetrans: 0, dMajor: 0, mounts: [] };
      s.retrans += ms.retransmissions;
      s.major += ms.majorTimeouts;
      // The first sight of a mount is its history since mount time, not a new problem.
      if (prev) {
        s.dRetrans += dRetrans;
        s.dMajor += dMajor;
      }
      s.mounts.push(ms.mountPoint);
      perServer.set(server, s);
    }
    return [...perServer.entries()].map(([server, s]) => nfsClientTarget(server, s));
  }
}

function nfsClientTarget(server: string, s: ServerCounts): TargetResult {
  const details = {
    server,
    mounts: s.mounts,
    retransmissions: s.retrans,
    majorTimeouts: s.major,
    newRetransmissions: s.dRetrans,
    newMajorTimeouts: s.dMajor,
  };
  const check = `nfs-client:${server}`;
  if (s.dMajor > 0) {
    return {
      check,
      ok: false,
      reason: 'major_timeouts',
      severity: 'failed',
      message: `${s.dMajor} NFS requests to ${server} hit a major timeout since the last scan ("server not responding")`,
      details,
    };
  }
  if (s.dRetrans > 0) {
    return {
      check,
      ok: true,
      reason: 'retransmissions',
      severity: 'degraded',
      message: `${s.dRetrans} NFS RPC retransmissions to ${server} since the last scan`,
      details,
    };
  }
  return {
    check,
    ok: true,
    reason: 'ok',
    severity: 'ok',
    message: `no new NFS retransmissions or timeouts to ${server}`,
    details,
  };
}

export const dstateProbe = defineProbe({
  name: 'dstate',
  configSchema: dstateConfigSchema,
  create(cfg, env) {
    const m = dstateMetrics(env.registry);
    const kmsg = cfg.kmsg
      ? new HungTaskReports(new KmsgReader(env.paths.kmsg), env.paths.kmsg, cfg.hungTaskHoldMs, m.hungTasks)
      : undefined;
    const nfsClient = new NfsClientCounters(m);
    return {
      async run(signal) {
        let entries: MountInfoEntry[] = [];
        try {
          entries = (await env.mounts.read(cfg.mountinfoPid)).entries;
        } catch (e) {
          env.log('warn', 'cannot read mountinfo; D-state attribution by open files disabled', {
            error: (e as Error).message,
          });
        }
        const blocked = await blockedProcesses(cfg, env.paths.proc, entries, signal, m);
        const targets: TargetResult[] = [
          blocked.target,
          kmsg?.read() ?? {
            check: 'kernel-hung-task',
            ok: true,
            reason: 'disabled',
            severity: 'ok',
            message: 'kmsg reading disabled',
          },
        ];
        if (cfg.pressure) targets.push(await ioPressure(env.paths.proc, cfg.ioSomeDegraded, m.pressure));
        if (cfg.mountstats)
          targets.push(...(await nfsClient.read(env.paths.proc, cfg.mountinfoPid, entries)));
        return {
          ok: true,
          reason: blocked.truncated ? 'scan_truncated' : 'ok',
          message: `${blocked.scannedTasks} tasks scanned, ${blocked.processes} processes in D state`,
          targets,
        };
      },
      close() {
        kmsg?.close();
      },
    };
  },
});
