/**
 * One state machine per check: ok → degraded → failed, with hysteresis so one blip does not page and
 * one good answer does not declare victory. Transitions become Alerts; the machine never sends them.
 */
import { randomUUID } from 'node:crypto';
import { Gauge, type Registry } from 'prom-client';
import type { Alert, AlertSeverity } from '../delivery/alert.ts';
import type { TargetResult } from '../probe.ts';

export type CheckState = 'ok' | 'degraded' | 'failed';
export const CHECK_STATES: readonly CheckState[] = ['ok', 'degraded', 'failed'];

export interface Hysteresis {
  /** Consecutive non-ok results before ok → degraded. */
  degradeAfter: number;
  /** Consecutive failed results before → failed. */
  failAfter: number;
  /** Consecutive results better than the current state before moving back up. */
  recoverAfter: number;
}

export interface Transition {
  check: string;
  from: CheckState;
  to: CheckState;
  /** The result that completed the transition. */
  result: TargetResult;
  at: string;
}

export interface CheckSnapshot {
  state: CheckState;
  since: string;
  reason: string;
  message: string;
  details?: Record<string, unknown>;
}

export function severityOf(r: TargetResult): CheckState {
  return r.severity ?? (r.ok ? 'ok' : 'failed');
}

const RANK: Record<CheckState, number> = { ok: 0, degraded: 1, failed: 2 };

class CheckMachine {
  state: CheckState;
  since: string;
  last: TargetResult | undefined;
  /** Consecutive results at least this bad: [non-ok, failed]. */
  private badRun = 0;
  private failedRun = 0;
  /** Consecutive results strictly better than the current state. */
  private betterRun = 0;

  constructor(
    readonly check: string,
    private readonly h: Hysteresis,
    initial: CheckState,
    since: string,
  ) {
    this.state = initial;
    this.since = since;
  }

  observe(r: TargetResult, now: string): Transition | undefined {
    this.last = r;
    const sev = severityOf(r);
    this.badRun = sev === 'ok' ? 0 : this.badRun + 1;
    this.failedRun = sev === 'failed' ? this.failedRun + 1 : 0;
    this.betterRun = RANK[sev] < RANK[this.state] ? this.betterRun + 1 : 0;

    let next = this.state;
    if (this.failedRun >= this.h.failAfter) next = 'failed';
    else if (this.state === 'ok' && this.badRun >= this.h.degradeAfter) next = 'degraded';
    else if (RANK[sev] < RANK[this.state] && this.betterRun >= this.h.recoverAfter) {
      // Recover to what the recent results say, never past it.
      next = sev;
    }
    if (next === this.state) return undefined;
    const from = this.state;
    this.state = next;
    this.since = now;
    this.betterRun = 0;
    return { check: this.check, from, to: next, result: r, at: now };
  }
}

export interface StateTrackerOptions {
  hysteresis: Hysteresis;
  registry: Registry;
  node: string;
  now?: () => Date;
}

/** All checks' machines plus the `faultline_check_state{check,state}` gauge. */
export class StateTracker {
  private readonly machines = new Map<string, CheckMachine>();
  private readonly gauge: Gauge<'check' | 'state'>;
  private readonly now: () => Date;

  constructor(private readonly opts: StateTrackerOptions) {
    this.now = opts.now ?? (() => new Date());
    this.gauge = new Gauge({
      name: 'faultline_check_state',
      help: 'Current state of each check: 1 for the state it is in (ok, degraded or failed), 0 for the others.',
      labelNames: ['check', 'state'],
      registers: [opts.registry],
    });
  }

  /** Seed a check's state (e.g. from the journal after a restart on the same boot) without alerting. */
  restore(check: string, state: CheckState, since: string): void {
    const m = new CheckMachine(check, this.opts.hysteresis, state, since);
    this.machines.set(check, m);
    this.setGauge(check, state);
  }

  observe(results: readonly TargetResult[]): Transition[] {
    const at = this.now().toISOString();
    const out: Transition[] = [];
    for (const r of results) {
      let m = this.machines.get(r.check);
      if (!m) {
        m = new CheckMachine(r.check, this.opts.hysteresis, 'ok', at);
        this.machines.set(r.check, m);
        this.setGauge(r.check, 'ok');
      }
      const t = m.observe(r, at);
      if (t) {
        this.setGauge(r.check, t.to);
        out.push(t);
      }
    }
    return out;
  }

  /** A check that is no longer reported (mount gone) stops being exported. */
  forget(check: string): void {
    if (!this.machines.delete(check)) return;
    for (const s of CHECK_STATES) this.gauge.remove({ check, state: s });
  }

  checks(): string[] {
    return [...this.machines.keys()];
  }

  snapshot(): Record<string, CheckSnapshot> {
    const out: Record<string, CheckSnapshot> = {};
    for (const [check, m] of this.machines) {
      out[check] = {
        state: m.state,
        since: m.since,
        reason: m.last?.reason ?? 'restored',
        message: m.last?.message ?? '',
        ...(m.last?.details ? { details: m.last.details } : {}),
      };
    }
    return out;
  }

  stateOf(check: string): CheckState | undefined {
    return this.machines.get(check)?.state;
  }

  private setGauge(check: string, state: CheckState): void {
    for (const s of CHECK_STATES) this.gauge.set({ check, state: s }, s === state ? 1 : 0);
  }
}

const SEVERITY: Record<CheckState, AlertSeverity> = { ok: 'info', degraded: 'warning', failed: 'critical' };

/** The alert an operator receives for a transition. */
export function transitionAlert(t: Transition, node: string): Alert {
  const firing = t.to !== 'ok';
  const title = firing ? `${t.check} is ${t.to}: ${t.result.reason}` : `${t.check} recovered (was ${t.from})`;
  return {
    id: randomUUID(),
    key: t.check,
    kind: 'transition',
    severity: SEVERITY[t.to],
    status: firing ? 'firing' : 'resolved',
    node,
    check: t.check,
    title,
    message: t.result.message || title,
    evidence: {
      from: t.from,
      to: t.to,
      reason: t.result.reason,
      ...(t.result.details ? { details: t.result.details } : {}),
    },
    createdAt: t.at,
  };
}
