/**
 * "Node at risk": the warning the 2025-11-14 cascade never got before its node froze. One signal alone is
 * a check's own alert (a hung mount is MountHung); several together — hung mounts, D-state processes
 * piling up scan after scan, kernel hung-task reports, IO stalls — make a freeze likely.
 * Signals are read from the probes' metrics (the shared metric contract), not their internals.
 */
import { randomUUID } from 'node:crypto';
import { Gauge, type Registry } from 'prom-client';
import type { Alert } from '../delivery/alert.ts';

export interface RiskOptions {
  enabled: boolean;
  /** PSI io "some" avg10 in percent above which IO stalls count. */
  ioPressureSomeAvg10: number;
  /** D-state count must rise over this many consecutive scans. */
  dstateGrowthScans: number;
  minSignals: number;
  /** The signals must stay below minSignals this long (ms) before "no longer at risk". */
  clearAfterMs?: number;
}

export type RiskSignal = 'hung-mounts' | 'dstate-growing' | 'hung-task-reports' | 'io-pressure';

export interface RiskVerdict {
  atRisk: boolean;
  signals: RiskSignal[];
  evidence: Record<string, unknown>;
}

/** Samples fed to the evaluator; each field is absent when its probe is off or has not run yet. */
export interface RiskSample {
  /** Mountpoints reported unresponsive (or with stuck probe children). */
  hungMounts?: string[];
  /** Processes in state D waiting on NFS or FUSE; only set when a new D-state scan completed. */
  dstate?: number;
  /** Cumulative hung-task reports read from the kernel log. */
  hungTaskReports?: number;
  /** PSI io some avg10 as a ratio (0..1). */
  ioSomeAvg10?: number;
}

export class RiskEvaluator {
  private readonly dstateHistory: number[] = [];
  private hungTaskBaseline: number | undefined;
  private hungTaskLastIncrease = 0;
  private readonly gauge: Gauge;
  private current: RiskVerdict = { atRisk: false, signals: [], evidence: {} };
  private last: RiskSample = {};
  /** When the signals last dropped below minSignals while at risk (0 = not clearing). */
  private clearSince = 0;
  private clearEvaluations = 0;

  constructor(
    private readonly opts: RiskOptions,
    registry: Registry,
    private readonly now: () => number = Date.now,
  ) {
    this.gauge = new Gauge({
      name: 'faultline_node_at_risk',
      help: '1 while several freeze signals hold together (hung mounts, growing D-state, hung-task reports, IO pressure).',
      registers: [registry],
    });
    this.gauge.set(0);
  }

  /** Resume "at risk" after a restart, so the alert already sent is resolved once signals clear. */
  restore(atRisk: boolean): void {
    this.current = { atRisk, signals: [], evidence: {} };
    this.gauge.set(atRisk ? 1 : 0);
  }

  /** Feed one sample; returns the verdict and, on a change of atRisk, the alert to send. */
  observe(sample: RiskSample, node: string): { verdict: RiskVerdict; alert?: Alert } {
    if (sample.dstate !== undefined) {
      this.dstateHistory.push(sample.dstate);
      if (this.dstateHistory.length > this.opts.dstateGrowthScans) this.dstateHistory.shift();
    }
    if (sample.hungTaskReports !== undefined) {
      if (this.hungTaskBaseline !== undefined && sample.hungTaskReports > this.hungTaskBaseline) {
        this.hungTaskLastIncrease = this.now();
      }
      this.hungTaskBaseline = sample.hungTaskReports;
    }
    this.last = { ...this.last, ...sample };
    if (sample.dstate === undefined) delete this.last.dstate;

    const signals: RiskSignal[] = [];
    const evidence: Record<string, unknown> = {};
    const hung = this.last.hungMounts ?? [];
    if (hung.length > 0) {
      signals.push('hung-mounts');
      evidence.hungMounts = hung;
    }
    const h = this.dstateHistory;
    if (h.length >= this.opts.dstateGrowthScans && h.every((v, i) => i === 0 || v > h[i - 1]!)) {
      signals.push('dstate-growing');
    }
    if (h.length > 0) evidence.dstateHistory = [...h];
    // A hung-task report stays a signal for ten minutes: the kernel only repeats it every 120 s.
    if (this.hungTaskLastIncrease > 0 && this.now() - this.hungTaskLastIncrease < 600_000) {
      signals.push('hung-task-reports');
      evidence.hungTaskReports = this.hungTaskBaseline;
    }
    const io = this.last.ioSomeAvg10;
    if (io !== undefined) {
      evidence.ioPressureSomeAvg10Percent = Math.round(io * 1000) / 10;
      if (io * 100 > this.opts.ioPressureSomeAvg10) signals.push('io-pressure');
    }

    const wasAtRisk = this.current.atRisk;
    let atRisk = this.opts.enabled && signals.length >= this.opts.minSignals;
    // Hysteresis on the way down: signals must stay clear for a while (and over at least two
    // evaluations) before "no longer at risk", so a flapping signal does not flap the alert.
    if (wasAtRisk && !atRisk) {
      const now = this.now();
      if (this.clearSince === 0) {
        this.clearSince = now;
        this.clearEvaluations = 0;
      }
      this.clearEvaluations++;
      if (this.clearEvaluations < 2 || now - this.clearSince < (this.opts.clearAfterMs ?? 0)) atRisk = true;
    } else {
      this.clearSince = 0;
    }
    this.current = { atRisk, signals, evidence };
    this.gauge.set(atRisk ? 1 : 0);
    if (atRisk === wasAtRisk) return { verdict: this.current };
    return { verdict: this.current, alert: riskAlert(this.current, node) };
  }

  verdict(): RiskVerdict {
    return this.current;
  }
}

const SIGNAL_TEXT: Record<RiskSignal, string> = {
  'hung-mounts': 'mounts not answering',
  'dstate-growing': 'processes piling up in D state',
  'hung-task-reports': 'kernel hung-task reports',
  'io-pressure': 'IO pressure',
};

function riskAlert(v: RiskVerdict, node: string): Alert {
  const why = v.signals.map((s) => SIGNAL_TEXT[s]).join(' + ');
  return {
    id: randomUUID(),
    key: 'node-at-risk',
    kind: 'node-at-risk',
    severity: v.atRisk ? 'critical' : 'info',
    status: v.atRisk ? 'firing' : 'resolved',
    node,
    check: 'node',
    title: v.atRisk ? `Node ${node} is at risk of freezing: ${why}` : `Node ${node} is no longer at risk`,
    message: v.atRisk
      ? `Several freeze signals hold together on ${node} (${why}). Processes touching the hung storage will ` +
        'block; drain the node or restore the storage before the kernel or the watchdog takes it down.'
      : `The freeze signals on ${node} have cleared.`,
    evidence: { signals: v.signals, ...v.evidence },
    createdAt: new Date().toISOString(),
  };
}

/** Read the freeze signals out of the probes' metrics (names from the shared metric contract). */
export async function sampleFromRegistry(registry: Registry, dstateScanned: boolean): Promise<RiskSample> {
  const values = async (name: string) => {
    const m = registry.getSingleMetric(name);
    if (!m) return undefined;
    return (await m.get()).values;
  };
  const sample: RiskSample = {};
  const responsive = await values('faultline_mount_responsive');
  const stuck = await values('faultline_mount_probe_stuck');
  if (responsive || stuck) {
    const hung = new Set<string>();
    for (const v of responsive ?? []) if (v.value === 0) hung.add(String(v.labels.mountpoint));
    for (const v of stuck ?? []) if (v.value > 0) hung.add(String(v.labels.mountpoint));
    sample.hungMounts = [...hung].sort();
  }
  if (dstateScanned) {
    // Waits on network and FUSE filesystems only: block and other D states come and go with ordinary IO.
    const d = await values('faultline_dstate_processes');
    if (d) {
      sample.dstate = d
        .filter((v) => v.labels.subsystem === 'nfs' || v.labels.subsystem === 'fuse')
        .reduce((sum, v) => sum + v.value, 0);
    }
  }
  const hungTask = await values('faultline_kernel_hung_task_reports_total');
  if (hungTask) sample.hungTaskReports = hungTask.reduce((sum, v) => sum + v.value, 0);
  const psi = await values('faultline_pressure_io_stalled_ratio');
  const some = psi?.find((v) => v.labels.kind === 'some' && v.labels.window === 'avg10');
  if (some) sample.ioSomeAvg10 = some.value;
  return sample;
}
