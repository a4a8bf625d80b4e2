/**
 * The observation loop: a baseline before injection, then one round per second until the fault has
 * expired and the grace period passed. Each round's probes run concurrently with deadlines shorter than
 * the round; a probe still out (a stuck stat child, a slow getent) is not started again until it returns,
 * so a dead dependency never piles up processes.
 */

import { type MountCheck, MountSandbox } from '../../agent/sandbox/mount-sandbox.ts';
import { KmsgReader } from '../../host/kmsg.ts';
import { scanDState } from '../../host/tasks.ts';
import { parseHungTask } from '../../kernel/hung-task.ts';
import { type DrillPlan, emptyObservations, type MountState, type Observations } from '../model.ts';
import { agentMetrics, forkExec, loopbackConnect, nodeLookup, nullCall, queryResolver } from './probes.ts';

export interface ObserveOptions {
  plan: DrillPlan;
  lookupName: string;
  sshPort: number;
  graceSeconds: number;
  agentMetricsUrl: string | undefined;
  /** Injects the fault; called after the baseline round. Resolves when the elements are in. */
  inject: () => Promise<void>;
  /** Whether the drill's elements are still in the kernel. */
  faultPresent: () => Promise<boolean>;
  /** Progress lines (stderr). */
  log: (line: string) => void;
  roundMs?: number;
  kmsgPath?: string;
  proc?: string;
}

function bucket<T>(rec: Record<string, T[]>, key: string): T[] {
  let list = rec[key];
  if (!list) {
    list = [];
    rec[key] = list;
  }
  return list;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the rounds probe, from the plan's predictions. */
interface Targets {
  mounts: string[];
  resolvers: string[];
  servers: string[];
  wantsLookup: boolean;
}

function targetsOf(plan: DrillPlan): Targets {
  return {
    mounts: plan.predictions.filter((p) => p.kind === 'mount' && p.path).map((p) => p.path!),
    resolvers: plan.predictions.filter((p) => p.resolver).map((p) => p.resolver!),
    servers: plan.predictions.filter((p) => p.kind === 'server').map((p) => p.subject),
    wantsLookup: plan.predictions.some((p) => p.kind === 'lookup'),
  };
}

/** The kernel log from here on, or undefined (said in the log) when it cannot be read. */
function openKmsg(o: ObserveOptions): KmsgReader | undefined {
  const kmsg = new KmsgReader(o.kmsgPath ?? '/dev/kmsg');
  try {
    kmsg.readAvailable(); // skip what was logged before the drill
    return kmsg;
  } catch (err) {
    kmsg.close();
    o.log(`kernel log not readable (${(err as Error).message}): hung-task lines not observed`);
    return undefined;
  }
}

/** One drill's observation: the series being filled and what its rounds share. */
interface Run {
  o: ObserveOptions;
  obs: Observations;
  targets: Targets;
  sandbox: MountSandbox;
  kmsg: KmsgReader | undefined;
  roundMs: number;
  probeMs: number;
  /** performance.now() at injection; 0 before it (the baseline round). */
  t0: number;
  /** A node lookup is out: none is started until it reports. */
  lookupOut: boolean;
}

/** Seconds since injection, to a tenth. */
const elapsed = (run: Run) => Math.round((performance.now() - run.t0) / 100) / 10;

function mountSample(c: MountCheck): { state: MountState; detail: string } {
  if (c.status === 'responsive')
    return { state: 'ok', detail: `stat+statfs in ${Math.round(c.seconds * 1000)} ms` };
  if (c.status === 'error') return { state: 'error', detail: `${c.code} after ${c.seconds.toFixed(1)} s` };
  if (c.status === 'hung')
    return { state: 'hung', detail: `stat child stuck ${c.stuckSeconds.toFixed(1)} s` };
  return { state: 'probe_failed', detail: c.status === 'capped' ? 'too many children out' : c.message };
}

/** Mounts, resolvers and servers: one probe each, every round. */
function probeTargets(run: Run, t: number): Promise<unknown>[] {
  const { obs, probeMs } = run;
  const jobs: Promise<unknown>[] = [];
  for (const path of run.targets.mounts)
    jobs.push(
      run.sandbox
        .check(path, AbortSignal.timeout(probeMs))
        .then((c) => bucket(obs.mounts, path).push({ t, value: mountSample(c) })),
    );
  for (const r of run.targets.resolvers)
    jobs.push(
      queryResolver(r, run.o.lookupName, probeMs).then((v) => bucket(obs.resolvers, r).push({ t, value: v })),
    );
  for (const s of run.targets.servers) {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
    if (m)
      jobs.push(
        nullCall(m[1]!, Number(m[2]), probeMs).then((v) => bucket(obs.servers, s).push({ t, value: v })),
      );
  }
  return jobs;
}

/** The node's own lookup: awaited in the baseline, afterwards started only when none is out. */
function probeNodeLookup(run: Run, t: number): Promise<unknown>[] {
  const { o, obs } = run;
  if (!run.targets.wantsLookup) return [];
  if (t < 0) {
    // Baseline: awaited (quick while healthy), so the first lookup during the fault starts at t = 0.
    return [nodeLookup(o.lookupName, 30_000).then((v) => obs.nodeLookups.push({ t, value: v }))];
  }
  if (!run.lookupOut) {
    run.lookupOut = true;
    // Not awaited: a glibc lookup against a dead server takes timeout × attempts; it reports when done.
    void nodeLookup(o.lookupName, 30_000).then((v) => {
      obs.nodeLookups.push({ t, value: v });
      run.lookupOut = false;
    });
  }
  return [];
}

/** The node itself (loopback connect, fork/exec, tasks in D state) and the agent's metrics. */
function probeNode(run: Run, t: number): Promise<unknown>[] {
  const { o, obs, probeMs } = run;
  const jobs: Promise<unknown>[] = [
    Promise.all([loopbackConnect(o.sshPort, probeMs), forkExec(probeMs)]).then(([c, f]) =>
      obs.node.push({ t, value: { ...c, forkExecMs: f } }),
    ),
    scanDState({
      proc: o.proc ?? '/proc',
      signal: AbortSignal.timeout(probeMs),
      maxTasks: 200_000,
      maxFds: 0,
    }).then((r) => obs.dstate.push({ t, value: r.tasks.length })),
  ];
  const a = obs.agent;
  if (a) jobs.push(agentMetrics(a.url, probeMs).then((v) => a.samples.push({ t, value: v })));
  return jobs;
}

/** Hung-task and "not responding" lines the kernel logged since the last round. */
function readHungTaskLines(run: Run, t: number): void {
  if (!run.kmsg) return;
  try {
    for (const rec of run.kmsg.readAvailable()) {
      if (parseHungTask(rec.message) || /not responding|blocked for more than/.test(rec.message))
        run.obs.hungTaskLines.push({ t, line: rec.message });
    }
  } catch {
    // a kmsg hiccup costs one round of lines, nothing else
  }
}

async function round(run: Run): Promise<void> {
  const t = run.t0 === 0 ? -0.1 : elapsed(run);
  const jobs = [...probeTargets(run, t), ...probeNodeLookup(run, t), ...probeNode(run, t)];
  readHungTaskLines(run, t);
  await Promise.allSettled(jobs);
}

/** Baseline, injection, then a round a second until the fault expired and the grace period passed. */
async function observeRounds(run: Run): Promise<Observations> {
  const { o, obs } = run;
  await round(run); // baseline
  await o.inject();
  run.t0 = performance.now();
  obs.injectedAt = new Date().toISOString();
  o.log(`fault injected for ${o.plan.durationSeconds} s (kernel-expiring); observing`);
  const hardStop = o.plan.durationSeconds + o.graceSeconds + 30;
  let expiredAt: number | undefined;
  while (elapsed(run) < hardStop) {
    const started = performance.now();
    await round(run);
    if (expiredAt === undefined && elapsed(run) >= o.plan.durationSeconds - 1 && !(await o.faultPresent())) {
      expiredAt = elapsed(run);
      obs.expiredAfterSeconds = expiredAt;
      o.log(
        `fault gone by itself after ${expiredAt.toFixed(1)} s; watching recovery for ${o.graceSeconds} s`,
      );
    }
    if (expiredAt !== undefined && elapsed(run) >= expiredAt + o.graceSeconds) break;
    await sleep(Math.max(0, run.roundMs - (performance.now() - started)));
  }
  // Let a pending node lookup report (bounded by its own deadline).
  for (let i = 0; i < 60 && run.lookupOut; i++) await sleep(500);
  return obs;
}

export async function observe(o: ObserveOptions): Promise<Observations> {
  const roundMs = o.roundMs ?? 1000;
  const sandbox = new MountSandbox({ maxChildren: 16 });
  const obs = emptyObservations(o.plan.durationSeconds, o.agentMetricsUrl);
  const targets = targetsOf(o.plan);
  const kmsg = openKmsg(o);
  const run: Run = {
    o,
    obs,
    targets,
    sandbox,
    kmsg,
    roundMs,
    probeMs: Math.max(200, roundMs - 200),
    t0: 0,
    lookupOut: false,
  };
  // Every wait below can be on unref'd handles only (AbortSignal.timeout timers, a stuck stat child the
  // sandbox unrefs): with nothing else pending, Node would exit mid-drill with code 0 and no report.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    return await observeRounds(run);
  } finally {
    clearInterval(keepAlive);
    sandbox.close();
    kmsg?.close();
  }
}
