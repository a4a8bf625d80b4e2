/**
 * Runs every probe on its own interval with an AbortSignal deadline (blackbox_exporter's model: the
 * harness owns timing, success and duration). A probe that throws or overruns is a failed result, not
 * a crash; a probe still running at its next tick is skipped (and counted), never run twice at once —
 * a hung probe must not pile up work behind itself.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProbeEnv, ProbeInstance, ProbeResult } from '../probe.ts';

export interface ScheduledProbe {
  name: string;
  instance: ProbeInstance;
  /** Milliseconds between run starts. */
  interval: number;
  /** Milliseconds before the run's signal aborts and the run counts as failed. */
  timeout: number;
}

export interface ProbeOutcome {
  probe: string;
  result: ProbeResult;
  durationSeconds: number;
  /** True when the deadline passed before the probe returned. */
  overran: boolean;
  startedAt: string;
  /** True once every probe has reported at least once (this outcome included). */
  firstRoundDone: boolean;
}

export interface HarnessOptions {
  probes: ScheduledProbe[];
  registry: Registry;
  log: ProbeEnv['log'];
  onOutcome?: (outcome: ProbeOutcome) => void;
  /** Extra time after abort for a probe to return its own (more precise) failure, in ms. */
  abortGrace?: number;
}

export class Harness {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly completed = new Set<string>();
  private readonly lastOk = new Map<string, boolean>();
  private readonly success: Gauge<'probe'>;
  private readonly duration: Gauge<'probe'>;
  private readonly skipped: Counter<'probe'>;
  private stopped = false;
  /** Last time any scheduler tick ran: proof for /healthz that scheduling still happens. */
  lastTick = Date.now();

  constructor(private readonly opts: HarnessOptions) {
    const registers = [opts.registry];
    this.success = new Gauge({
      name: 'faultline_probe_success',
      help: 'Whether the last run of the probe completed within its deadline (1) or failed, threw or overran (0).',
      labelNames: ['probe'],
      registers,
    });
    this.duration = new Gauge({
      name: 'faultline_probe_duration_seconds',
      help: 'How long the last run of the probe took, in seconds (capped at its deadline when it overran).',
      labelNames: ['probe'],
      registers,
    });
    this.skipped = new Counter({
      name: 'faultline_probe_runs_skipped_total',
      help: 'Scheduled runs skipped because the previous run of the same probe had not returned yet.',
      labelNames: ['probe'],
      registers,
    });
    for (const p of opts.probes) this.skipped.inc({ probe: p.name }, 0);
  }

  /** Start every probe now, then on its interval. */
  start(): void {
    for (const p of this.opts.probes) {
      this.tick(p);
      const t = setInterval(() => this.tick(p), p.interval);
      this.timers.push(t);
    }
  }

  /** True once every probe has reported at least once (the /readyz condition). */
  firstRoundDone(): boolean {
    return this.opts.probes.every((p) => this.completed.has(p.name));
  }

  /** One run of every probe, concurrently (for `--once`). */
  async runOnce(): Promise<ProbeOutcome[]> {
    return Promise.all(this.opts.probes.map((p) => this.runProbe(p)));
  }

  /** Stop scheduling; wait (bounded) for in-flight runs, then close the probes. */
  async stop(waitMs = 2000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    const pending = [...this.inFlight.values()];
    if (pending.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(pending),
        new Promise((r) => {
          timer = setTimeout(r, waitMs);
        }),
      ]);
      clearTimeout(timer);
    }
    for (const p of this.opts.probes) {
      try {
        await p.instance.close?.();
      } catch (err) {
        this.opts.log('warn', 'probe close failed', { probe: p.name, error: String(err) });
      }
    }
  }

  private tick(p: ScheduledProbe): void {
    this.lastTick = Date.now();
    if (this.stopped) return;
    if (this.inFlight.has(p.name)) {
      this.skipped.inc({ probe: p.name });
      this.opts.log('warn', 'probe still running at its next interval; run skipped', { probe: p.name });
      return;
    }
    // runProbe never rejects; the catch is belt and braces for the scheduler.
    this.runProbe(p).catch((err) =>
      this.opts.log('error', 'harness error', { probe: p.name, error: String(err) }),
    );
  }

  private async runProbe(p: ScheduledProbe): Promise<ProbeOutcome> {
    const controller = new AbortController();
    const startedAt = new Date();
    const t0 = performance.now();
    const run = (async () => p.instance.run(controller.signal))();
    this.inFlight.set(p.name, run);
    // The in-flight mark clears only when the probe really returns, even long after its deadline.
    run.then(
      () => this.inFlight.delete(p.name),
      () => this.inFlight.delete(p.name),
    );

    let deadlineTimer: NodeJS.Timeout | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'overran'>((resolve) => {
      deadlineTimer = setTimeout(() => {
        controller.abort(new Error(`probe ${p.name} deadline of ${p.timeout} ms passed`));
        graceTimer = setTimeout(() => resolve('overran'), this.opts.abortGrace ?? 250);
      }, p.timeout);
    });

    let result: ProbeResult;
    let overran = false;
    try {
      const r = await Promise.race([run, deadline]);
      if (r === 'overran') {
        overran = true;
        result = {
          ok: false,
          reason: 'timeout',
          message: `probe ${p.name} did not return within its ${p.timeout} ms deadline`,
          targets: [],
        };
      } else {
        result = r;
      }
    } catch (err) {
      result = {
        ok: false,
        reason: 'error',
        message: `probe ${p.name} failed: ${err instanceof Error ? err.message : String(err)}`,
        targets: [],
      };
    } finally {
      clearTimeout(deadlineTimer);
      clearTimeout(graceTimer);
    }
    const durationSeconds = overran ? p.timeout / 1000 : (performance.now() - t0) / 1000;
    this.success.set({ probe: p.name }, result.ok ? 1 : 0);
    this.duration.set({ probe: p.name }, durationSeconds);
    this.completed.add(p.name);
    const outcome: ProbeOutcome = {
      probe: p.name,
      result,
      durationSeconds,
      overran,
      startedAt: startedAt.toISOString(),
      firstRoundDone: this.firstRoundDone(),
    };
    // Log changes, not every failing round: a probe down for an hour is one line, not 720.
    const wasOk = this.lastOk.get(p.name);
    if (wasOk !== result.ok && !(wasOk === undefined && result.ok)) {
      this.opts.log(result.ok ? 'info' : 'warn', result.ok ? 'probe ok again' : 'probe failed', {
        probe: p.name,
        reason: result.reason,
        message: result.message,
      });
    }
    this.lastOk.set(p.name, result.ok);
    try {
      this.opts.onOutcome?.(outcome);
    } catch (err) {
      this.opts.log('error', 'outcome handler failed', { probe: p.name, error: String(err) });
    }
    return outcome;
  }
}
