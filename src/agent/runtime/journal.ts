/**
 * A small append-only journal (JSON lines, fsynced) on local disk: what the agent saw, so that after a
 * crash or a reboot the next start can say what happened before the node went dark.
 * Writes are synchronous on purpose: a few hundred bytes on local disk, ordered, and never queued
 * behind libuv's thread pool, which a hung mount elsewhere in the process could have exhausted.
 * Size is bounded: past maxBytes the file rotates to journal.1.jsonl (one generation kept) and the new
 * file starts with a snapshot, so the latest file alone always holds the current states.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { appendDurableSync, renameDurableSync } from '../../host/durable.ts';
import type { LastWords } from './last-words.ts';
import type { CheckSnapshot, CheckState } from './state.ts';

export type JournalRecord =
  | { t: 'start'; at: string; run: string; boot: string; version: string; node: string }
  | {
      t: 'heartbeat';
      at: string;
      run: string;
      boot: string;
      states: Record<string, CheckSnapshot>;
      risk: RiskNote;
    }
  | {
      t: 'transition';
      at: string;
      run: string;
      check: string;
      from: CheckState;
      to: CheckState;
      reason: string;
      message: string;
    }
  | {
      t: 'risk';
      at: string;
      run: string;
      atRisk: boolean;
      signals: string[];
      evidence: Record<string, unknown>;
    }
  | { t: 'last-words'; at: string; run: string; words: LastWords }
  | { t: 'stop'; at: string; run: string; reason: string };

export interface RiskNote {
  atRisk: boolean;
  signals: string[];
}

export interface PreviousRun {
  run: string;
  boot: string | undefined;
  startedAt: string | undefined;
  /** Time of the last record the run wrote: the latest moment it is known to have been alive. */
  lastSeen: string;
  clean: boolean;
  rebooted: boolean;
  /** States at the end of the run (last snapshot plus the transitions after it). */
  states: Record<string, CheckSnapshot>;
  /** The run's last transitions, oldest first (at most 20). */
  transitions: Extract<JournalRecord, { t: 'transition' }>[];
  risk: Extract<JournalRecord, { t: 'risk' }> | undefined;
  /** The run's latest last-words snapshot (written when the node was at risk). */
  lastWords?: LastWords | undefined;
}

export const JOURNAL_FILE = 'journal.jsonl';
export const JOURNAL_ROTATED = 'journal.1.jsonl';

/** The kernel's random boot id: changes on every boot. `unknown` when /proc is not readable. */
export function readBootId(proc: string): string {
  try {
    return readFileSync(join(proc, 'sys/kernel/random/boot_id'), 'utf8').trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export function readJournal(dir: string): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const name of [JOURNAL_ROTATED, JOURNAL_FILE]) {
    let text: string;
    try {
      text = readFileSync(join(dir, name), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as JournalRecord;
        if (r && typeof r === 'object' && typeof r.t === 'string' && typeof r.run === 'string') out.push(r);
      } catch {
        // A torn last line from a crash mid-write: the records before it still count.
      }
    }
  }
  return out;
}

/** What the last run in the journal left behind, or undefined for a first start. */
export function analysePreviousRun(records: JournalRecord[], currentBoot: string): PreviousRun | undefined {
  const last = records[records.length - 1];
  if (!last) return undefined;
  const run = last.run;
  const mine = records.filter((r) => r.run === run);
  let boot: string | undefined;
  let startedAt: string | undefined;
  let states: Record<string, CheckSnapshot> = {};
  let clean = false;
  let risk: PreviousRun['risk'];
  let lastWords: LastWords | undefined;
  const transitions: PreviousRun['transitions'] = [];
  for (const r of mine) {
    switch (r.t) {
      case 'start':
        boot = r.boot;
        startedAt = r.at;
        break;
      case 'heartbeat':
        boot = r.boot;
        states = structuredClone(r.states);
        break;
      case 'transition': {
        const prev = states[r.check];
        states[r.check] = { ...prev, state: r.to, since: r.at, reason: r.reason, message: r.message };
        transitions.push(r);
        if (transitions.length > 20) transitions.shift();
        break;
      }
      case 'risk':
        risk = r;
        break;
      case 'last-words':
        lastWords = r.words;
        break;
      case 'stop':
        clean = true;
        break;
    }
  }
  return {
    run,
    boot,
    startedAt,
    lastSeen: last.at,
    clean,
    rebooted: boot !== undefined && boot !== 'unknown' && currentBoot !== 'unknown' && boot !== currentBoot,
    states,
    transitions,
    risk,
    ...(lastWords ? { lastWords } : {}),
  };
}

export interface JournalOptions {
  dir: string;
  maxBytes: number;
  boot: string;
  /** Called after a rotation to seed the new file with the current states. */
  snapshot: () => { states: Record<string, CheckSnapshot>; risk: RiskNote };
}

export class Journal {
  readonly run = randomUUID();
  private fd: number;
  private size: number;
  private readonly path: string;

  constructor(private readonly opts: JournalOptions) {
    mkdirSync(opts.dir, { recursive: true });
    this.path = join(opts.dir, JOURNAL_FILE);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = existsSync(this.path) ? statSync(this.path).size : 0;
  }

  /** Append one record durably (written and fsynced before returning). */
  append(record: DistributiveOmit<JournalRecord, 'run' | 'at'> & { at?: string }): void {
    this.writeLine({ at: new Date().toISOString(), ...record, run: this.run });
    if (this.size > this.opts.maxBytes) this.rotate();
  }

  heartbeat(): void {
    const { states, risk } = this.opts.snapshot();
    this.append({ t: 'heartbeat', boot: this.opts.boot, states, risk });
  }

  close(): void {
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  private writeLine(record: object): void {
    this.size += appendDurableSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  private rotate(): void {
    closeSync(this.fd);
    renameDurableSync(this.path, join(this.opts.dir, JOURNAL_ROTATED));
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
    // The new file starts with the current states, so it is self-contained.
    const { states, risk } = this.opts.snapshot();
    this.writeLine({
      t: 'heartbeat',
      at: new Date().toISOString(),
      run: this.run,
      boot: this.opts.boot,
      states,
      risk,
    });
  }
}

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;
