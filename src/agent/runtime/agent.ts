/**
 * The running agent: probes → harness → per-check state machines and node-at-risk → alerts (queue),
 * journal, node conditions, /metrics. Everything that can hang (probes, delivery, the API server) is
 * behind a deadline or a queue; the event loop only ever waits on timers and sockets.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { MountInfoCache } from '../../host/mountinfo.ts';
import type { AgentConfig } from '../config.ts';
import type { Alert, AlertQueue } from '../delivery/alert.ts';
import type { Log } from '../log.ts';
import type { ProbeDefinition, ProbeEnv, TargetResult } from '../probe.ts';
import { Harness, type ProbeOutcome, type ScheduledProbe } from './harness.ts';
import { analysePreviousRun, Journal, type PreviousRun, readBootId, readJournal } from './journal.ts';
import { LastWordsWriter } from './last-words.ts';
import { previousBootAlert } from './previous-boot.ts';
import { RiskEvaluator, type RiskVerdict, sampleFromRegistry } from './risk.ts';
import type { AgentHealth } from './self-health.ts';
import { type AgentServer, LoopLagMonitor, startServer } from './server.ts';
import { type CheckSnapshot, StateTracker, type Transition, transitionAlert } from './state.ts';
import { VanishedChecks } from './vanished.ts';
import type { WebConfig } from './web-config.ts';

export type { Log };

/** Where node-level reports go besides alerts (Kubernetes NodeConditions and Events). */
export interface NodeReporter {
  /** Latest states; the reporter decides what and when to send. Never throws, never blocks. */
  update(states: Record<string, CheckSnapshot>, risk: RiskVerdict): void;
  event(alert: Alert): void;
  stop(): Promise<void>;
}

export interface AgentDeps {
  probes: readonly ProbeDefinition[];
  /** Builds the alert queue (delivery); gets the agent's registry so its metrics share /metrics. */
  createQueue: (registry: Registry) => Promise<AlertQueue>;
  createReporter?: (registry: Registry) => NodeReporter | undefined;
  log: Log;
  version: string;
  /** The agent's own health (state dir, fds): kept apart from the node's checks. */
  health?: AgentHealth;
  /** --web.config.file (TLS, basic auth) for /metrics. */
  web?: WebConfig;
}

export interface RunningAgent {
  address: { host: string; port: number };
  registry: Registry;
  previous: PreviousRun | undefined;
  /** Stop cleanly: the journal records it, so the next start sends no previous-boot report. */
  stop(reason?: string): Promise<void>;
}

/** The synthetic check a probe's own failure (threw, overran, could not run) is tracked under. */
export function probeCheck(probe: string): string {
  return `probe:${probe}`;
}

function createRegistry(version: string): Registry {
  const registry = new Registry();
  // prom-client samples event-loop delay every 10 ms by default: ~0.7% of a core on an idle agent.
  // 100 ms keeps the histogram useful at a tenth of the wake-ups.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  // These three are gauges named like counters; `promtool check metrics` rejects them, and the
  // process_* and nodejs_eventloop_* series kept from the defaults are the useful ones.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
  const info = new Gauge({
    name: 'faultline_build_info',
    help: 'Always 1; the version label says which faultline build is running.',
    labelNames: ['version'],
    registers: [registry],
  });
  info.set({ version }, 1);
  return registry;
}

function scheduledProbes(
  config: AgentConfig,
  defs: readonly ProbeDefinition[],
  env: ProbeEnv,
): ScheduledProbe[] {
  const out: ScheduledProbe[] = [];
  for (const def of defs) {
    const s = config.probes[def.name];
    if (!s?.enabled) continue;
    out.push({
      name: def.name,
      instance: def.create(s.config, env),
      interval: s.interval,
      timeout: s.timeout,
    });
  }
  return out;
}

/** The targets an outcome contributes, plus the probe's own health as a check of its own. */
export function outcomeTargets(o: ProbeOutcome): TargetResult[] {
  return [
    ...o.result.targets,
    {
      check: probeCheck(o.probe),
      ok: o.result.ok,
      reason: o.result.reason,
      message: o.result.message,
      details: { durationSeconds: o.durationSeconds, overran: o.overran },
    },
  ];
}

/**
 * Wiring, in four named phases. Longer than ~80 lines on purpose: what is left here is which unit
 * feeds which (the logic lives in StateTracker, VanishedChecks, RiskEvaluator, LastWordsWriter,
 * openMemory, Harness, shutdown), and splitting the wiring further would only pass the same dozen
 * objects around.
 */
export async function startAgent(config: AgentConfig, deps: AgentDeps): Promise<RunningAgent> {
  // Phase 1: the node's view — metrics registry, probe environment, check states, risk verdict.
  const { log } = deps;
  const registry = createRegistry(deps.version);
  const env: ProbeEnv = { paths: config.paths, registry, log, mounts: new MountInfoCache(config.paths.proc) };

  const tracker = new StateTracker({ hysteresis: config.states, registry, node: config.node });
  const risk = new RiskEvaluator(
    { ...config.risk, clearAfterMs: config.states.recoverAfter * config.interval },
    registry,
  );

  // Phase 2: memory and voice — the journal, the alert queue, the previous-boot report.
  const { previous, journal, record, queue, enqueue, chain } = await openMemory(
    config,
    deps,
    registry,
    tracker,
    risk,
  );

  const reporter = deps.createReporter?.(registry);

  // Phase 3: what each probe outcome does — state transitions and their alerts, checks nobody
  // reports any more, the node-at-risk verdict and its last words.
  const probes = scheduledProbes(config, deps.probes, env);
  const vanished = new VanishedChecks(tracker, Object.keys(previous?.states ?? {}), probes[0]?.name);
  const onTransition = (t: Transition) => {
    record({
      t: 'transition',
      check: t.check,
      from: t.from,
      to: t.to,
      reason: t.result.reason,
      message: t.result.message,
    });
    const alert = transitionAlert(t, config.node);
    log(t.to === 'ok' ? 'info' : 'warn', alert.title, { check: t.check, from: t.from, to: t.to });
    void enqueue(alert);
    reporter?.event(alert);
  };
  // Last words: while the node is at risk, a bounded snapshot of what is blocked on what goes to the
  // journal (at once when the risk fires, then at most once a minute), before a watchdog can reboot.
  const lastWords = new LastWordsWriter({
    proc: config.paths.proc,
    node: config.node,
    timeoutMs: config.timeout,
    mountinfoPid:
      (config.probes.dstate?.config as { mountinfoPid?: string } | undefined)?.mountinfoPid ?? 'self',
    write: (words) => record({ t: 'last-words', words }),
    log,
  });

  const onOutcome = (o: ProbeOutcome) => {
    if (deps.health?.isAgentFault(o)) return;
    lastWords.observe(o);
    const targets = outcomeTargets(o);
    const transitions = tracker.observe([...targets, ...vanished.results(o, targets)]);
    for (const t of transitions) onTransition(t);
    // Before every probe has reported once the picture is partial (a restart would see no hung
    // mount yet and call the node safe): the risk verdict waits for the first full round.
    if (!o.firstRoundDone) {
      reporter?.update(tracker.snapshot(), risk.verdict());
      return;
    }
    void sampleFromRegistry(registry, o.probe === 'dstate')
      .then((sample) => {
        const r = risk.observe(sample, config.node);
        if (r.verdict.atRisk) void lastWords.atRisk(r.alert !== undefined);
        if (r.alert) {
          record({
            t: 'risk',
            atRisk: r.verdict.atRisk,
            signals: r.verdict.signals,
            evidence: r.verdict.evidence,
          });
          log(r.verdict.atRisk ? 'error' : 'info', r.alert.title, { signals: r.verdict.signals });
          void enqueue(r.alert);
          reporter?.event(r.alert);
        }
        reporter?.update(tracker.snapshot(), r.verdict);
      })
      .catch((err) => log('error', 'risk evaluation failed', { error: String(err) }));
  };

  // Phase 4: run — the probes on their schedule, the HTTP endpoints, the journal heartbeat.
  const harness = new Harness({ probes, registry, log, onOutcome });
  const lag = new LoopLagMonitor();
  lag.start();
  const maxInterval = Math.max(config.interval, ...probes.map((p) => p.interval));
  let server: AgentServer;
  try {
    server = await startServer({
      host: config.listen.host,
      port: config.listen.port,
      ...(config.where ? { where: config.where.listen } : {}),
      ...(deps.web ? { web: deps.web } : {}),
      registry,
      health: {
        loopLagMs: () => lag.lagMs(),
        schedulerIdleMs: () => Date.now() - harness.lastTick,
        schedulerIdleLimitMs: Math.max(3 * maxInterval, 10_000),
        ready: () =>
          deps.health?.notReadyReason() !== undefined
            ? { ready: false, reason: deps.health.notReadyReason()! }
            : harness.firstRoundDone()
              ? { ready: true, reason: 'ready' }
              : { ready: false, reason: 'waiting for the first round of probes' },
      },
    });
  } catch (err) {
    lag.stop();
    record({ t: 'stop', reason: `listen failed: ${String(err)}` });
    journal.close();
    await queue.close();
    throw err;
  }
  harness.start();
  const heartbeat = setInterval(() => {
    try {
      journal.heartbeat();
    } catch (err) {
      log('error', 'journal heartbeat failed', { error: String(err) });
    }
  }, config.journal.heartbeat);
  log('info', 'faultline agent started', {
    listen: `${server.address.address}:${server.address.port}`,
    node: config.node,
    probes: probes.map((p) => p.name),
    previousRun: previous ? { clean: previous.clean, rebooted: previous.rebooted } : undefined,
  });

  let stopping: Promise<void> | undefined;
  return {
    address: { host: server.address.address, port: server.address.port },
    registry,
    previous,
    stop(reason = 'stopped') {
      stopping ??= shutdown(reason, {
        heartbeat,
        harness,
        lag,
        server,
        chain,
        reporter,
        queue,
        journal,
        record,
        log,
      });
      return stopping;
    },
  };
}

/**
 * The journal first: what the previous run left behind decides the previous-boot report and the
 * states to resume from (so an ongoing outage is not announced a second time after a restart). Then
 * the alert queue, and the previous-boot report made durable before the new start record.
 */
async function openMemory(
  config: AgentConfig,
  deps: AgentDeps,
  registry: Registry,
  tracker: StateTracker,
  risk: RiskEvaluator,
) {
  const { log } = deps;
  const boot = readBootId(config.paths.proc);
  const previous = analysePreviousRun(readJournal(config.stateDir, deps.health?.journalReport), boot);
  for (const [check, s] of Object.entries(previous?.states ?? {})) tracker.restore(check, s.state, s.since);
  if (previous?.risk?.atRisk) risk.restore(true);
  const journal = new Journal({
    dir: config.stateDir,
    maxBytes: config.journal.maxBytes,
    boot,
    snapshot: () => ({ states: tracker.snapshot(), risk: noteOf(risk.verdict()) }),
  });

  // A full or failing disk must never cost an alert: journal errors are logged, and work goes on.
  const record = (r: Parameters<Journal['append']>[0]) => {
    try {
      journal.append(r);
      deps.health?.stateWrite('journal', undefined);
    } catch (err) {
      log('error', 'journal write failed', { record: r.t, error: String(err) });
      deps.health?.stateWrite('journal', String(err));
    }
  };

  const queue = await deps.createQueue(registry);
  let chain: Promise<void> = Promise.resolve();
  // One ordered chain: a resolved alert never overtakes its firing one on the way into the outbox.
  const enqueue = (alert: Alert) => {
    chain = chain
      .then(() => queue.enqueue(alert))
      .catch((err) =>
        log('error', 'could not enqueue alert', { id: alert.id, key: alert.key, error: String(err) }),
      );
    return chain;
  };
  deps.health?.attach(registry, enqueue);

  const prevAlert = previous ? previousBootAlert(previous, config.node) : undefined;
  if (prevAlert) {
    log('warn', prevAlert.title, { previousRun: previous?.run });
    // Durable before the new start record: a crash in between re-sends the same id, never a second one.
    await enqueue(prevAlert);
  }
  record({ t: 'start', boot, version: deps.version, node: config.node });
  return { previous, journal, record, queue, enqueue, chain: () => chain };
}

interface Running {
  heartbeat: NodeJS.Timeout;
  harness: Harness;
  lag: LoopLagMonitor;
  server: AgentServer;
  chain: () => Promise<void>;
  reporter: { stop(): Promise<void> } | undefined;
  queue: { close(): Promise<void> };
  journal: Journal;
  record: (r: Parameters<Journal['append']>[0]) => void;
  log: Log;
}

/** A clean stop: probes, endpoints, then the alert path (each step bounded), the journal last. */
async function shutdown(reason: string, r: Running): Promise<void> {
  clearInterval(r.heartbeat);
  await r.harness.stop();
  r.lag.stop();
  await r.server.close();
  // Each step is bounded: a sink or API server that never answers must not turn a clean stop
  // into a SIGKILL (and a false previous-boot report). Pending alerts stay in the outbox.
  await bounded(r.chain(), 5000, 'enqueue', r.log);
  await bounded(r.reporter?.stop(), 5000, 'kubernetes reporter', r.log);
  await bounded(r.queue.close(), 5000, 'delivery', r.log);
  try {
    r.journal.heartbeat();
  } catch (err) {
    r.log('error', 'journal write failed', { record: 'heartbeat', error: String(err) });
  }
  r.record({ t: 'stop', reason });
  r.journal.close();
  r.log('info', 'faultline agent stopped', { reason });
}

/** Wait for `p`, at most `ms`; a step that overruns is logged and left behind. */
async function bounded(p: Promise<unknown> | undefined, ms: number, what: string, log: Log): Promise<void> {
  if (!p) return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    p.then(
      () => false,
      (err) => {
        log('warn', `stop: ${what} failed`, { error: String(err) });
        return false;
      },
    ),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(true), ms);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) log('warn', `stop: ${what} did not finish within ${ms} ms; going on`);
}

function noteOf(v: RiskVerdict) {
  return { atRisk: v.atRisk, signals: v.signals };
}

export interface OnceReport {
  node: string;
  ok: boolean;
  probes: {
    probe: string;
    ok: boolean;
    reason: string;
    message: string;
    durationSeconds: number;
    targets: TargetResult[];
  }[];
}

/** One round of every enabled probe, no server, no journal, no alerts: for `--once`. */
export async function runOnce(
  config: AgentConfig,
  deps: Pick<AgentDeps, 'probes' | 'log' | 'version'>,
): Promise<OnceReport> {
  const registry = createRegistry(deps.version);
  const env: ProbeEnv = {
    paths: config.paths,
    registry,
    log: deps.log,
    mounts: new MountInfoCache(config.paths.proc),
  };
  const harness = new Harness({ probes: scheduledProbes(config, deps.probes, env), registry, log: deps.log });
  const outcomes = await harness.runOnce();
  await harness.stop(0);
  const probes = outcomes.map((o) => ({
    probe: o.probe,
    ok: o.result.ok,
    reason: o.result.reason,
    message: o.result.message,
    durationSeconds: Math.round(o.durationSeconds * 1e6) / 1e6,
    targets: o.result.targets,
  }));
  const ok = probes.every(
    (p) => p.ok && p.targets.every((t) => (t.severity ?? (t.ok ? 'ok' : 'failed')) === 'ok'),
  );
  return { node: config.node, ok, probes };
}
