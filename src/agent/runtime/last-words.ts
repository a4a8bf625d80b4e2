/**
 * "Last words": when the node is at risk of freezing, the evidence a post-mortem needs is written to
 * the state journal before the kernel or the watchdog can take the node down — each blocked task
 * (comm, pid, pod and container where the cgroup says, wchan, kernel stack, the hang-prone mounts it
 * has files open on and their servers), the D-state counts of the last rounds, the last probe results.
 * Only procfs is read (stat, wchan, stack, fdinfo, cgroup, mountinfo): generating those never asks a
 * filesystem anything, so a stuck mount cannot stall the collection. Bounded in tasks, frames and bytes.
 */
import { join } from 'node:path';
import type { MountInfoEntry } from '../../host/mountinfo.ts';
import { isHangProneType, isNfsType, parseMountInfo, splitNfsSource } from '../../host/mountinfo.ts';
import { readBounded } from '../../host/read.ts';
import { scanDState } from '../../host/tasks.ts';
import { classifyStack, parseStack, SUBSYSTEMS, type Subsystem } from '../../kernel/stack.ts';
import type { Log } from '../log.ts';
import type { ProbeOutcome } from './harness.ts';

export interface BlockedMount {
  mountPoint: string;
  fsType: string;
  source: string;
  /** NFS: the server the kernel talks to (addr= of the mount), else the source's host part. */
  server?: string;
}

export interface BlockedTask {
  pid: number;
  tid: number;
  comm: string;
  subsystem: Subsystem;
  wchan: string;
  /** /proc/<tid>/stack lines as the kernel wrote them (empty without CAP_SYS_ADMIN). */
  stack: string[];
  /** From /proc/<pid>/cgroup: the kubelet's pod UID and the container id, where it runs in a pod. */
  podUid?: string;
  container?: string;
  /** Hang-prone filesystems the process has files open on (nfs, fuse, cifs…). */
  mounts: BlockedMount[];
}

export interface LastWords {
  at: string;
  node: string;
  /** Tasks in D state found by the scan, before the cap. */
  blockedTotal: number;
  blocked: BlockedTask[];
  /** True when tasks, frames or bytes were cut to stay within bounds. */
  truncated: boolean;
  dstateCounts: { at: string; counts: Partial<Record<Subsystem, number>> }[];
  probes: {
    probe: string;
    at: string;
    ok: boolean;
    reason: string;
    message: string;
    failing: { check: string; reason: string; message: string }[];
  }[];
}

export interface LastWordsLimits {
  maxTasks: number;
  maxFrames: number;
  maxBytes: number;
}

export const DEFAULT_LIMITS: LastWordsLimits = { maxTasks: 64, maxFrames: 32, maxBytes: 64 * 1024 };

/** Pod UID and container id from a cgroup v1 or v2 path written by the kubelet (systemd or cgroupfs driver). */
export function podOfCgroup(text: string): { podUid?: string; container?: string } {
  for (const line of text.split('\n')) {
    const path = line.split(':').slice(2).join(':');
    const pod =
      /kubepods[^\n]*?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(
        path,
      );
    if (!pod?.[1]) continue;
    const container = /(?:cri-containerd-|crio-|docker-)?([0-9a-f]{64})(?:\.scope)?$/.exec(path)?.[1];
    return {
      podUid: pod[1].replaceAll('_', '-'),
      ...(container ? { container: container.slice(0, 12) } : {}),
    };
  }
  return {};
}

function mountOf(e: MountInfoEntry): BlockedMount {
  const addr = /(?:^|,)addr=([^,]+)/.exec(e.superOptions)?.[1];
  const server = isNfsType(e.fsType) ? (addr ?? splitNfsSource(e.source)?.server) : undefined;
  return { mountPoint: e.mountPoint, fsType: e.fsType, source: e.source, ...(server ? { server } : {}) };
}

/** Keeps the D-state counts of the last rounds, fed from the dstate probe's results. */
export class DStateHistory {
  readonly #rounds: LastWords['dstateCounts'] = [];
  constructor(readonly keep = 60) {}

  observe(o: ProbeOutcome): void {
    if (o.probe !== 'dstate') return;
    const counts = o.result.targets.find((t) => t.check === 'dstate')?.details?.counts;
    if (!counts || typeof counts !== 'object') return;
    this.#rounds.push({ at: o.startedAt, counts: counts as LastWords['dstateCounts'][number]['counts'] });
    if (this.#rounds.length > this.keep) this.#rounds.shift();
  }

  rounds(): LastWords['dstateCounts'] {
    return [...this.#rounds];
  }
}

export function probeSummaries(outcomes: Iterable<ProbeOutcome>): LastWords['probes'] {
  return [...outcomes].map((o) => ({
    probe: o.probe,
    at: o.startedAt,
    ok: o.result.ok,
    reason: o.result.reason,
    message: o.result.message,
    failing: o.result.targets
      .filter((t) => !t.ok || (t.severity !== undefined && t.severity !== 'ok'))
      .slice(0, 20)
      .map(({ check, reason, message }) => ({ check, reason, message })),
  }));
}

export interface CollectOptions {
  proc: string;
  node: string;
  signal: AbortSignal;
  /** The mount table the probes read this round ("self" or "1"). */
  mountinfoPid: string;
  history: DStateHistory;
  outcomes: Iterable<ProbeOutcome>;
  limits?: Partial<LastWordsLimits>;
  now?: () => Date;
}

/** The blocked tasks with their stacks, pods and mounts (procfs only; stops at the signal). */
async function blockedTasks(o: CollectOptions, limits: LastWordsLimits) {
  const scan = await scanDState({ proc: o.proc, signal: o.signal, maxTasks: 100_000, maxFds: 256 });
  const hostTable = parseMountInfo(
    (await readBounded(join(o.proc, o.mountinfoPid, 'mountinfo'), 4 * 1024 * 1024).catch(() => '')) ?? '',
  ).entries;
  const byId = new Map(hostTable.map((e) => [e.mountId, e]));
  const own = new Map<number, Map<number, MountInfoEntry>>();
  const tasks: BlockedTask[] = [];
  for (const t of scan.tasks.slice(0, limits.maxTasks)) {
    if (o.signal.aborted) break;
    const taskDir = join(o.proc, String(t.pid), 'task', String(t.tid));
    const stackText =
      (await readBounded(join(taskDir, 'stack'), 16384).catch(() => undefined)) ??
      (await readBounded(join(o.proc, String(t.pid), 'stack'), 16384).catch(() => undefined)) ??
      '';
    const stack = stackText.split('\n').filter((l) => l.trim() !== '');
    // A container's mounts are in its own namespace: its own mountinfo (procfs, bounded) names them.
    if (t.mountIds.some((id) => !byId.has(id)) && !own.has(t.pid)) {
      const text = await readBounded(join(o.proc, String(t.pid), 'mountinfo'), 4 * 1024 * 1024).catch(
        () => '',
      );
      own.set(t.pid, new Map(parseMountInfo(text ?? '').entries.map((e) => [e.mountId, e])));
    }
    const entries = t.mountIds
      .map((id) => byId.get(id) ?? own.get(t.pid)?.get(id))
      .filter((e): e is MountInfoEntry => e !== undefined && isHangProneType(e.fsType));
    const cgroup = (await readBounded(join(o.proc, String(t.pid), 'cgroup'), 8192).catch(() => '')) ?? '';
    tasks.push({
      pid: t.pid,
      tid: t.tid,
      comm: t.comm,
      subsystem: classifyStack(
        t.wchan,
        parseStack(stackText),
        entries.map((e) => e.fsType),
      ),
      wchan: t.wchan,
      stack: stack.slice(0, limits.maxFrames),
      ...podOfCgroup(cgroup),
      mounts: entries.map(mountOf),
    });
  }
  const rank = (s: Subsystem) => SUBSYSTEMS.indexOf(s);
  tasks.sort((a, b) => rank(a.subsystem) - rank(b.subsystem));
  return { tasks, total: scan.tasks.length, truncated: scan.truncated };
}

/** Collect the last words, cut to `maxBytes` of JSON (tasks dropped from the least telling end). */
export async function collectLastWords(o: CollectOptions): Promise<LastWords> {
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const { tasks, total, truncated } = await blockedTasks(o, limits);
  const words: LastWords = {
    at: (o.now?.() ?? new Date()).toISOString(),
    node: o.node,
    blockedTotal: total,
    blocked: tasks,
    truncated: truncated || total > tasks.length || tasks.some((t) => t.stack.length >= limits.maxFrames),
    dstateCounts: o.history.rounds(),
    probes: probeSummaries(o.outcomes),
  };
  while (JSON.stringify(words).length > limits.maxBytes) {
    words.truncated = true;
    if (words.blocked.length > 0) words.blocked.pop();
    else if (words.dstateCounts.length > 0) words.dstateCounts.shift();
    else if (words.probes.length > 0) words.probes.pop();
    else break;
  }
  return words;
}

/** "loki (pid 25860, pod 3f1c…) on nfs 10.0.0.5:/export (/var/lib/kubelet/…/mount)" for the report. */
export function describeBlocked(t: BlockedTask): string {
  const where = [`pid ${t.pid}`, ...(t.podUid ? [`pod ${t.podUid}`] : [])].join(', ');
  const on = t.mounts.length
    ? ` on ${t.mounts.map((m) => `${m.fsType} ${m.server ? `${m.server} ` : ''}${m.source} (${m.mountPoint})`).join(', ')}`
    : '';
  return `${t.comm} (${where}) waiting in ${t.wchan || '?'} [${t.subsystem}]${on}`;
}

export interface LastWordsWriterOptions {
  proc: string;
  node: string;
  timeoutMs: number;
  mountinfoPid: string;
  write: (words: LastWords) => void;
  log: Log;
  /** While the node stays at risk, refresh the last words at most this often. */
  everyMs?: number;
  now?: () => number;
}

/** Feeds on probe outcomes; writes the last words when the risk fires, then at most every `everyMs`. */
export class LastWordsWriter {
  readonly #history = new DStateHistory();
  readonly #outcomes = new Map<string, ProbeOutcome>();
  #at = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: LastWordsWriterOptions) {}

  observe(outcome: ProbeOutcome): void {
    this.#history.observe(outcome);
    this.#outcomes.set(outcome.probe, outcome);
  }

  /** Called on every risk verdict that says "at risk"; `fired`: this verdict raised the alert. */
  async atRisk(fired: boolean): Promise<void> {
    const now = (this.o.now ?? Date.now)();
    if (!fired && now - this.#at < (this.o.everyMs ?? 60_000)) return;
    this.#at = now;
    try {
      const words = await collectLastWords({
        proc: this.o.proc,
        node: this.o.node,
        signal: AbortSignal.timeout(this.o.timeoutMs),
        mountinfoPid: this.o.mountinfoPid,
        history: this.#history,
        outcomes: this.#outcomes.values(),
      });
      this.o.write(words);
      this.o.log('warn', 'node at risk: last words written to the state journal', {
        blocked: words.blockedTotal,
        truncated: words.truncated,
      });
    } catch (err) {
      this.o.log('error', 'could not collect last words', { error: String(err) });
    }
  }
}
