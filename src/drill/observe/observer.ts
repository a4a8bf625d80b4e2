/**
 * The observation loop: a baseline before injection, then one round per second until the fault has
 * expired and the grace period passed. Each round's probes run concurrently with deadlines shorter than
 * the round; a probe still out (a stuck stat child, a slow getent) is not started again until it returns,
 * so a dead dependency never piles up processes.
 */

import { MountSandbox } from '../../agent/sandbox/mount-sandbox.ts';
import { KmsgReader } from '../../host/kmsg.ts';
import { scanDState } from '../../host/tasks.ts';
import { parseHungTask } from '../../kernel/hung-task.ts';
import type { DrillPlan, Observations } from '../model.ts';
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

export async function observe(o: ObserveOptions): Promise<Observations> {
  const roundMs = o.roundMs ?? 1000;
  const probeMs = Math.max(200, roundMs - 200);
  const sandbox = new MountSandbox({ maxChildren: 16 });
  const obs: Observations = {
    injectedAt: '',
    durationSeconds: o.plan.durationSeconds,
    expiredAfterSeconds: undefined,
    mounts: {},
    resolvers: {},
    nodeLookups: [],
    servers: {},
    dstate: [],
    hungTaskLines: [],
    node: [],
    agent: o.agentMetricsUrl ? { url: o.agentMetricsUrl, samples: [] } : undefined,
  };
  const mounts = o.plan.predictions.filter((p) => p.kind === 'mount' && p.path).map((p) => p.path!);
  const resolvers = o.plan.predictions.filter((p) => p.resolver).map((p) => p.resolver!);
  const servers = o.plan.predictions.filter((p) => p.kind === 'server').map((p) => p.subject);
  const wantsLookup = o.plan.predictions.some((p) => p.kind === 'lookup');

  let kmsg: KmsgReader | undefined = new KmsgReader(o.kmsgPath ?? '/dev/kmsg');
  try {
    kmsg.readAvailable(); // skip what was logged before the drill
  } catch (err) {
    kmsg = undefined;
    o.log(`kernel log not readable (${(err as Error).message}): hung-task lines not observed`);
  }
  let t0 = 0;
  const now = () => Math.round((performance.now() - t0) / 100) / 10;
  let lookupOut = false;

  const round = async () => {
    const t = t0 === 0 ? -0.1 : now();
    const deadline = () => AbortSignal.timeout(probeMs);
    const jobs: Promise<unknown>[] = [];
    for (const path of mounts)
      jobs.push(
        sandbox.check(path, deadline()).then((c) => {
          const list = bucket(obs.mounts, path);
          const value =
            c.status === 'responsive'
              ? { state: 'ok' as const, detail: `stat+statfs in ${Math.round(c.seconds * 1000)} ms` }
              : c.status === 'error'
                ? { state: 'error' as const, detail: `${c.code} after ${c.seconds.toFixed(1)} s` }
                : c.status === 'hung'
                  ? { state: 'hung' as const, detail: `stat child stuck ${c.stuckSeconds.toFixed(1)} s` }
                  : {
                      state: 'probe_failed' as const,
                      detail: c.status === 'capped' ? 'too many children out' : c.message,
                    };
          list.push({ t, value });
        }),
      );
    for (const r of resolvers)
      jobs.push(
        queryResolver(r, o.lookupName, probeMs).then((v) => bucket(obs.resolvers, r).push({ t, value: v })),
      );
    for (const s of servers) {
      const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
      if (m)
        jobs.push(
          nullCall(m[1]!, Number(m[2]), probeMs).then((v) => bucket(obs.servers, s).push({ t, value: v })),
        );
    }
    if (wantsLookup && t < 0) {
      // Baseline: awaited (quick while healthy), so the first lookup during the fault starts at t = 0.
      jobs.push(nodeLookup(o.lookupName, 30_000).then((v) => obs.nodeLookups.push({ t, value: v })));
    } else if (wantsLookup && !lookupOut) {
      lookupOut = true;
      // Not awaited: a glibc lookup against a dead server takes timeout × attempts; it reports when done.
      void nodeLookup(o.lookupName, 30_000).then((v) => {
        obs.nodeLookups.push({ t, value: v });
        lookupOut = false;
      });
    }
    jobs.push(
      Promise.all([loopbackConnect(o.sshPort, probeMs), forkExec(probeMs)]).then(([c, f]) =>
        obs.node.push({ t, value: { ...c, forkExecMs: f } }),
      ),
    );
    jobs.push(
      scanDState({ proc: o.proc ?? '/proc', signal: deadline(), maxTasks: 200_000, maxFds: 0 }).then((r) =>
        obs.dstate.push({ t, value: r.tasks.length }),
      ),
    );
    if (obs.agent) {
      const a = obs.agent;
      jobs.push(agentMetrics(a.url, probeMs).then((v) => a.samples.push({ t, value: v })));
    }
    if (kmsg) {
      try {
        for (const rec of kmsg.readAvailable()) {
          if (parseHungTask(rec.message) || /not responding|blocked for more than/.test(rec.message))
            obs.hungTaskLines.push({ t, line: rec.message });
        }
      } catch {
        // a kmsg hiccup costs one round of lines, nothing else
      }
    }
    await Promise.allSettled(jobs);
  };

  // Every wait below can be on unref'd handles only (AbortSignal.timeout timers, a stuck stat child the
  // sandbox unrefs): with nothing else pending, Node would exit mid-drill with code 0 and no report.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    return await observeRounds();
  } finally {
    clearInterval(keepAlive);
    sandbox.close();
  }

  async function observeRounds(): Promise<Observations> {
    await round(); // baseline
    await o.inject();
    t0 = performance.now();
    obs.injectedAt = new Date().toISOString();
    o.log(`fault injected for ${o.plan.durationSeconds} s (kernel-expiring); observing`);
    const hardStop = o.plan.durationSeconds + o.graceSeconds + 30;
    let expiredAt: number | undefined;
    while (now() < hardStop) {
      const started = performance.now();
      await round();
      if (expiredAt === undefined && now() >= o.plan.durationSeconds - 1 && !(await o.faultPresent())) {
        expiredAt = now();
        obs.expiredAfterSeconds = expiredAt;
        o.log(
          `fault gone by itself after ${expiredAt.toFixed(1)} s; watching recovery for ${o.graceSeconds} s`,
        );
      }
      if (expiredAt !== undefined && now() >= expiredAt + o.graceSeconds) break;
      await sleep(Math.max(0, roundMs - (performance.now() - started)));
    }
    // Let a pending node lookup report (bounded by its own deadline).
    for (let i = 0; i < 60 && lookupOut; i++) await sleep(500);
    return obs;
  }
}
