/**
 * The agent's own health, kept apart from the node's. Two conditions are the agent's, never the
 * node's:
 *   - state-dir: the journal or the outbox cannot write (disk full, read-only, no permission). Alerts
 *     are then held in memory and still sent (delivery/outbox.ts); this says so in /metrics and
 *     /readyz and raises an alert of its own.
 *   - fds: the process ran out of file descriptors (EMFILE/ENFILE). A probe that fails for that reason
 *     says nothing about the node: its outcome is not fed to the state machines (no false
 *     "mountinfo_unreadable"), and the agent's own alert says what happened instead.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Alert } from '../delivery/alert.ts';
import { describeFsError } from '../local-disk.ts';
import type { Log } from '../log.ts';
import type { ProbeOutcome } from './harness.ts';
import type { JournalReadReport } from './journal.ts';

export type Condition = 'state-dir' | 'fds';
type StateComponent = 'journal' | 'outbox';

const TITLES: Record<Condition, string> = {
  'state-dir': 'cannot write its state directory; alerts are held in memory and still sent',
  fds: 'ran out of file descriptors; probe results are not trusted until it recovers',
};

const FD_ERROR = /\bE[MN]FILE\b|too many open files/i;

export interface AgentHealthOptions {
  node: string;
  stateDir: string;
  log: Log;
  /** /proc of the agent itself (tests point it elsewhere). */
  selfProc?: string;
  now?: () => number;
}

export class AgentHealth {
  private readonly problems = new Map<Condition, { cause: string; since: number }>();
  private readonly stateErrors = new Map<StateComponent, string>();
  private enqueue: ((a: Alert) => Promise<unknown>) | undefined;
  private readonly held: Alert[] = [];
  private readonly fdLimit: number | undefined;
  private readonly now: () => number;
  private writeErrors: Counter<'component'> | undefined;
  private suppressed: Counter<'probe'> | undefined;
  private fdOkRounds = 0;
  /** Filled by readJournal at start: what the state journal could not give back. */
  readonly journalReport: JournalReadReport = { unreadable: 0, skippedBytes: 0, errors: [] };

  constructor(private readonly opts: AgentHealthOptions) {
    this.now = opts.now ?? Date.now;
    this.fdLimit = readFdLimit(opts.selfProc ?? '/proc/self');
  }

  /** Called by the runtime once its registry and alert queue exist. */
  attach(registry: Registry, enqueue: (a: Alert) => Promise<unknown>): void {
    this.enqueue = enqueue;
    const health = this;
    new Gauge({
      name: 'faultline_agent_problem',
      help: 'The agent’s own problems (1 while present): state-dir = cannot write its state directory, fds = out of file descriptors.',
      labelNames: ['condition'],
      registers: [registry],
      collect() {
        for (const c of ['state-dir', 'fds'] as const)
          this.set({ condition: c }, health.problems.has(c) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'faultline_state_dir_writable',
      help: 'Whether the journal and the outbox can write to the state directory (0: alerts are held in memory).',
      registers: [registry],
      collect() {
        this.set(health.problems.has('state-dir') ? 0 : 1);
      },
    });
    this.writeErrors = new Counter({
      name: 'faultline_state_dir_write_errors_total',
      help: 'Failed writes to the state directory, by component (journal, outbox).',
      labelNames: ['component'],
      registers: [registry],
    });
    this.suppressed = new Counter({
      name: 'faultline_probe_results_discarded_total',
      help: 'Probe results not used because the agent itself failed (out of file descriptors), by probe.',
      labelNames: ['probe'],
      registers: [registry],
    });
    for (const c of ['journal', 'outbox']) this.writeErrors.labels(c).inc(0);
    const r = this.journalReport;
    new Gauge({
      name: 'faultline_journal_load_skipped',
      help: 'State journal content left out at start: unreadable lines, and bytes of an oversized file not read.',
      labelNames: ['what'],
      registers: [registry],
      collect() {
        this.set({ what: 'unreadable_lines' }, r.unreadable);
        this.set({ what: 'skipped_bytes' }, r.skippedBytes);
        this.set({ what: 'unreadable_files' }, r.errors.length);
      },
    });
    if (r.unreadable > 0 || r.skippedBytes > 0 || r.errors.length > 0) {
      this.opts.log('error', 'state journal damaged: kept the readable records, left out the rest', {
        dir: this.opts.stateDir,
        unreadableLines: r.unreadable,
        skippedBytes: r.skippedBytes,
        errors: r.errors,
      });
    }
    for (const a of this.held.splice(0)) void enqueue(a);
  }

  /** A write to the state directory worked (error undefined) or failed. */
  stateWrite(component: StateComponent, error: string | undefined): void {
    if (error !== undefined) this.writeErrors?.labels(component).inc();
    if (error === undefined) this.stateErrors.delete(component);
    else this.stateErrors.set(component, describeFsError(error));
    const causes = [...this.stateErrors].map(([c, e]) => `${c}: ${e}`);
    this.set('state-dir', causes.length > 0 ? `${this.opts.stateDir} (${causes.join('; ')})` : undefined);
  }

  /**
   * True when the outcome failed because of the agent's own fd exhaustion: the caller must not feed
   * it to the node's state machines. Cheap when all is well (only failed outcomes are examined).
   */
  isAgentFault(o: ProbeOutcome): boolean {
    const failed = !o.result.ok || o.result.targets.some((t) => !t.ok);
    if (!failed) {
      this.fdRecovered();
      return false;
    }
    const texts = [o.result.message, ...o.result.targets.map((t) => t.message)];
    const fdError = texts.some((t) => FD_ERROR.test(t)) || this.fdsExhausted();
    if (!fdError) {
      this.fdRecovered();
      return false;
    }
    this.fdOkRounds = 0;
    this.suppressed?.labels(o.probe).inc();
    this.set('fds', `the process holds its file descriptor limit${this.fdLimit ? ` (${this.fdLimit})` : ''}`);
    return true;
  }

  /** Not ready while the agent has a problem of its own; the reason is the /readyz body. */
  notReadyReason(): string | undefined {
    if (this.problems.size === 0) return undefined;
    return [...this.problems].map(([c, p]) => `degraded: ${c}: ${p.cause}`).join('; ');
  }

  problem(c: Condition): string | undefined {
    return this.problems.get(c)?.cause;
  }

  private fdRecovered(): void {
    if (!this.problems.has('fds')) return;
    // Two clean rounds in a row (one could be luck under a flood).
    if (++this.fdOkRounds >= 2 && !this.fdsExhausted()) this.set('fds', undefined);
  }

  private fdsExhausted(): boolean {
    try {
      const open = readdirSync('/proc/self/fd').length;
      return this.fdLimit !== undefined && open >= this.fdLimit - 8;
    } catch (err) {
      return FD_ERROR.test(String(err));
    }
  }

  private set(c: Condition, cause: string | undefined): void {
    const had = this.problems.get(c);
    if (cause === undefined) {
      if (!had) return;
      this.problems.delete(c);
      this.opts.log('info', `agent recovered: ${c}`, { condition: c });
      this.raise(c, 'resolved', had.cause);
      return;
    }
    if (had) {
      had.cause = cause;
      return;
    }
    this.problems.set(c, { cause, since: this.now() });
    this.opts.log('error', `agent problem: ${TITLES[c]}`, { condition: c, cause });
    this.raise(c, 'firing', cause);
  }

  private raise(c: Condition, status: 'firing' | 'resolved', cause: string): void {
    const alert: Alert = {
      id: randomUUID(),
      key: `agent:${c}`,
      kind: 'transition',
      severity: 'warning',
      status,
      node: this.opts.node,
      check: `agent:${c}`,
      title:
        status === 'firing'
          ? `faultline agent on ${this.opts.node} ${TITLES[c]}`
          : `faultline agent on ${this.opts.node} recovered (${c})`,
      message:
        status === 'firing'
          ? `${cause}. This is the agent's own health, not the node's.`
          : `Resolved: ${cause}.`,
      evidence: { condition: c, cause },
      createdAt: new Date(this.now()).toISOString(),
    };
    if (this.enqueue) void this.enqueue(alert);
    else this.held.push(alert);
  }
}

/** The soft RLIMIT_NOFILE, from /proc/self/limits (Node has no getrlimit). */
export function readFdLimit(selfProc: string): number | undefined {
  try {
    const text = readFileSync(`${selfProc}/limits`, 'utf8');
    const m = /^Max open files\s+(\d+)/m.exec(text);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
