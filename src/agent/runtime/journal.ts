/**
 * A small append-only journal (JSON lines, fsynced) on local disk: what the agent saw, so that after a
 * crash or a reboot the next start can say what happened before the node went dark.
 * Writes are synchronous on purpose: a few hundred bytes on local disk, ordered, and never queued
 * behind libuv's thread pool, which a hung mount elsewhere in the process could have exhausted.
 * Size is bounded: past maxBytes the file rotates to journal.1.jsonl (one generation kept) and the new
 * file starts with a snapshot, so the latest file alone always holds the current states.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { appendDurableSync, renameDurableSync } from '../../host/durable.ts';
import { ensureDirSync } from '../local-disk.ts';
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

/** What reading the journal had to leave out; the runtime reports it (logs, /metrics). */
export interface JournalReadReport {
  /** Lines that are not records (garbage; a torn last line from a crash counts too). */
  unreadable: number;
  /** Bytes at the start of an oversized file that were not read (only its tail is). */
  skippedBytes: number;
  /** The journal exists but could not be read (EISDIR, EACCES, EIO…). */
  errors: string[];
}

/**
 * Rotation keeps the journal near journal.maxBytes; a file far beyond it is damage (or another
 * program's). Only its last MAX_READ_BYTES are read, so a start-up never holds gigabytes.
 */
export const MAX_READ_BYTES = 16 << 20;

export function readJournal(dir: string, report?: JournalReadReport): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const name of [JOURNAL_ROTATED, JOURNAL_FILE]) {
    let text: string;
    try {
      text = readTail(join(dir, name), report);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') report?.errors.push(`${name}: ${String(err)}`);
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as JournalRecord;
        if (r && typeof r === 'object' && typeof r.t === 'string' && typeof r.run === 'string') out.push(r);
        else if (report) report.unreadable++;
      } catch {
        // A torn last line from a crash mid-write: the records before it still count.
        if (report) report.unreadable++;
      }
    }
  }
  return out;
}

function readTail(file: string, report: JournalReadReport | undefined): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (!fstatSync(fd).isFile()) throw new Error(`${file}: not a regular file`);
    const from = Math.max(0, size - MAX_READ_BYTES);
    const buf = Buffer.alloc(size - from);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, from + off);
      if (n === 0) break;
      off += n;
    }
    let text = buf.subarray(0, off).toString('utf8');
    if (from > 0) {
      if (report) report.skippedBytes += from;
      // The first line read is likely cut in the middle: start at the next whole one.
      text = text.slice(text.indexOf('\n') + 1);
    }
    return text;
  } finally {
    closeSync(fd);
  }
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
  private fd: number | undefined;
  private size = 0;
  private readonly path: string;
  /** A write failed part-way: the next record starts on a fresh line. */
  private needsNewline = false;

  /**
   * Never throws: a state directory that cannot be opened now (read-only, full, no permission) makes
   * each append throw instead, and each append tries again, so the agent starts and recovers with it.
   */
  constructor(private readonly opts: JournalOptions) {
    this.path = join(opts.dir, JOURNAL_FILE);
    try {
      this.openFile();
    } catch {
      this.fd = undefined;
    }
  }

  private openFile(): number {
    ensureDirSync(this.opts.dir);
    const fd = openSync(this.path, 'a', 0o600);
    this.fd = fd;
    this.size = fstatSync(fd).size;
    return fd;
  }

  /** Append one record durably (written and fsynced before returning); throws if the disk refuses. */
  append(record: DistributiveOmit<JournalRecord, 'run' | 'at'> & { at?: string }): void {
    this.writeLine({ at: new Date().toISOString(), ...record, run: this.run });
    if (this.size > this.opts.maxBytes) this.rotate();
  }

  heartbeat(): void {
    const { states, risk } = this.opts.snapshot();
    this.append({ t: 'heartbeat', boot: this.opts.boot, states, risk });
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = undefined;
  }

  private writeLine(record: object): void {
    const fd = this.fd ?? this.openFile();
    const line = `${this.needsNewline ? '\n' : ''}${JSON.stringify(record)}\n`;
    let written: number;
    try {
      // The host helper loops over short writes: a bare write(2) may store part of the line and
      // return normally, and the record would be torn while the caller was told it is durable.
      written = appendDurableSync(fd, line);
    } catch (err) {
      this.needsNewline = true;
      throw err;
    }
    this.needsNewline = false;
    this.size += written;
  }

  private rotate(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
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
