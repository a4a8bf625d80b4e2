/**
 * The durable outbox: an append-only JSON-lines journal on local disk.
 *
 *   {"t":"enq","alert":{…},"sinks":["ops","am"],"at":1732550000000}   an alert to deliver to these sinks
 *   {"t":"ack","id":"…","sink":"ops","at":…}                          the sink answered 2xx
 *   {"t":"drop","id":"…","sink":"ops","reason":"rejected","at":…}    given up for that sink (counted)
 *   {"t":"done","id":"…","at":…}                                     compacted away; the id is remembered
 *
 * Every append is written and fsync'd before its promise resolves (concurrent appends share one
 * fsync: group commit), so "enqueue resolved" means "survives SIGKILL and power loss". On open, a torn
 * last line (a write cut short by a crash — it was never acknowledged to anyone) is cut off, and a
 * corrupt line in the middle is reported with its line number and skipped. Compaction rewrites only
 * live records to a temp file, fsyncs it, renames it over the journal and fsyncs the directory.
 *
 * Delivery is at-least-once per sink: a record is acked only after the receiver's 2xx, so the one
 * window for a duplicate is between that 2xx and the ack's fsync. Receivers dedupe on the alert id.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { join } from 'node:path';
import { syncDirSync } from '../../host/durable.ts';
import type { Alert } from './alert.ts';
import { JournalIo } from './journal-io.ts';

export { syncDirSync };

export type DropReason = 'rejected' | 'expired' | 'overflow' | 'unconfigured';

export interface OutboxEntry {
  alert: Alert;
  /** Sinks the alert was addressed to when it was enqueued. */
  sinks: string[];
  /** Epoch ms of the durable enqueue. */
  enqueuedAt: number;
  /** Sinks that are finished with it: acked (delivered) or dropped (given up, with the reason). */
  done: Map<string, 'ack' | DropReason>;
}

type JournalRecord =
  | { t: 'enq'; alert: Alert; sinks: string[]; at: number }
  | { t: 'ack'; id: string; sink: string; at: number }
  | { t: 'drop'; id: string; sink: string; reason: DropReason; at: number }
  | { t: 'done'; id: string; at: number };

export interface OutboxOptions {
  /** Sinks configured now: pending counts only these (a removed sink no longer holds alerts back). */
  sinks: string[];
  /** Fully delivered entries younger than this survive compaction (dedupe after restart reads them). */
  retainDeliveredMs?: number;
  /**
   * After that, only the id is kept (a `done` tombstone) for this long, so enqueue stays idempotent:
   * set it to at least outbox.maxAgeSeconds, beyond which a re-sent id would be dropped as expired anyway.
   */
  retainIdsMs?: number;
  /** Compact when the journal holds this many more records than live ones. */
  compactSlack?: number;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  now?: () => number;
}

export const JOURNAL_FILE = 'outbox.jsonl';

interface WriteJob {
  kind: 'lines' | 'compact';
  lines: string[];
  apply: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class Outbox {
  readonly file: string;
  private readonly dir: string;
  private readonly entries = new Map<string, OutboxEntry>();
  /** Ids compacted away: id → enqueue time. */
  private readonly tombstones = new Map<string, number>();
  private readonly inflightEnqueues = new Map<string, Promise<boolean>>();
  private readonly active: Set<string>;
  private readonly now: () => number;
  private readonly retainDeliveredMs: number;
  private readonly retainIdsMs: number;
  private readonly compactSlack: number;
  private readonly log: NonNullable<OutboxOptions['log']>;
  private io: JournalIo | undefined;
  private records = 0;
  private jobs: WriteJob[] = [];
  private writing = false;
  private needsNewline = false;
  private closed = false;

  private constructor(dir: string, opts: OutboxOptions) {
    this.dir = dir;
    this.file = join(dir, JOURNAL_FILE);
    this.active = new Set(opts.sinks);
    this.now = opts.now ?? Date.now;
    this.retainDeliveredMs = opts.retainDeliveredMs ?? 0;
    this.retainIdsMs = Math.max(this.retainDeliveredMs, opts.retainIdsMs ?? 86_400_000);
    this.compactSlack = opts.compactSlack ?? 1000;
    this.log = opts.log ?? (() => {});
  }

  static async open(dir: string, opts: OutboxOptions): Promise<Outbox> {
    mkdirSync(dir, { recursive: true });
    const box = new Outbox(dir, opts);
    box.load();
    box.io = await JournalIo.open(box.file);
    return box;
  }

  // Synchronous on purpose: start-up only, and no libuv pool thread is needed (see journal-io.ts).
  private load(): void {
    // A temp file is a compaction that did not reach its rename: the journal itself is still whole.
    rmSync(`${this.file}.tmp`, { force: true });
    let buf = Buffer.alloc(0);
    let created = false;
    try {
      buf = readFileSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      closeSync(openSync(this.file, 'a'));
      created = true;
    }
    // Work in bytes: a torn write can end inside a multi-byte character.
    const wholeBytes = buf.lastIndexOf(0x0a) + 1;
    if (wholeBytes < buf.length) {
      // Never acknowledged (enqueue/ack resolve only after the newline is fsync'd): safe to cut.
      this.log('warn', 'outbox: cut a torn last record left by a crash', {
        file: this.file,
        bytes: buf.length - wholeBytes,
      });
      truncateSync(this.file, wholeBytes);
      const fd = openSync(this.file, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    if (created) syncDirSync(this.dir);
    const whole = buf.subarray(0, wholeBytes).toString('utf8');
    const lines = whole.split('\n');
    lines.pop();
    lines.forEach((line, i) => {
      if (line.length === 0) return;
      const rec = parseRecord(line);
      if (rec === undefined) {
        this.log('warn', `outbox: ${this.file}:${i + 1}: unreadable record skipped`, {
          file: this.file,
          line: i + 1,
        });
        return;
      }
      this.records++;
      this.applyRecord(rec);
    });
  }

  private applyRecord(rec: JournalRecord): void {
    if (rec.t === 'done') {
      if (!this.entries.has(rec.id)) this.tombstones.set(rec.id, rec.at);
      return;
    }
    if (rec.t === 'enq') {
      if (!this.entries.has(rec.alert.id) && !this.tombstones.has(rec.alert.id)) {
        this.entries.set(rec.alert.id, {
          alert: rec.alert,
          sinks: rec.sinks,
          enqueuedAt: rec.at,
          done: new Map(),
        });
      }
      return;
    }
    const e = this.entries.get(rec.id);
    if (e === undefined || e.done.has(rec.sink)) return;
    e.done.set(rec.sink, rec.t === 'ack' ? 'ack' : rec.reason);
  }

  has(id: string): boolean {
    return this.entries.has(id) || this.tombstones.has(id) || this.inflightEnqueues.has(id);
  }

  get(id: string): OutboxEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * Durably add an alert for these sinks. Idempotent by alert id: a second call with a known id is a
   * no-op (resolves false), also while the first is still being written.
   */
  enqueue(alert: Alert, sinks: string[]): Promise<boolean> {
    if (this.entries.has(alert.id) || this.tombstones.has(alert.id)) return Promise.resolve(false);
    const inflight = this.inflightEnqueues.get(alert.id);
    if (inflight) return inflight.then(() => false);
    const rec: JournalRecord = { t: 'enq', alert, sinks: [...sinks], at: this.now() };
    const p = this.write([rec]).then(() => true);
    this.inflightEnqueues.set(alert.id, p);
    const clear = () => this.inflightEnqueues.delete(alert.id);
    p.then(clear, clear);
    return p;
  }

  /** Record that `sink` answered 2xx for this alert; fsync'd before it resolves. */
  ack(id: string, sink: string): Promise<void> {
    return this.finish({ t: 'ack', id, sink, at: this.now() });
  }

  drop(id: string, sink: string, reason: DropReason): Promise<void> {
    return this.finish({ t: 'drop', id, sink, reason, at: this.now() });
  }

  private finish(rec: JournalRecord & { t: 'ack' | 'drop' }): Promise<void> {
    const e = this.entries.get(rec.id);
    if (e === undefined || e.done.has(rec.sink)) return Promise.resolve();
    return this.write([rec]).then(() => this.maybeCompact());
  }

  /** Entries still owed to `sink`, oldest first. */
  pendingFor(sink: string): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    for (const e of this.entries.values()) if (this.isPendingFor(e, sink)) out.push(e);
    return out;
  }

  /** The oldest entry still owed to `sink`, without building the whole list. */
  nextFor(sink: string): OutboxEntry | undefined {
    for (const e of this.entries.values()) if (this.isPendingFor(e, sink)) return e;
    return undefined;
  }

  private isPendingFor(e: OutboxEntry, sink: string): boolean {
    return this.active.has(sink) && e.sinks.includes(sink) && !e.done.has(sink);
  }

  isPending(e: OutboxEntry): boolean {
    return e.sinks.some((s) => this.isPendingFor(e, s));
  }

  /** Alerts not yet finished by every configured sink they were addressed to. */
  pendingCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (this.isPending(e)) n++;
    return n;
  }

  /** Pending entries, oldest first. */
  pending(): OutboxEntry[] {
    return [...this.entries.values()].filter((e) => this.isPending(e));
  }

  /** All entries the journal still holds (pending and recently delivered), oldest first. */
  all(): OutboxEntry[] {
    return [...this.entries.values()];
  }

  oldestPendingAt(): number | undefined {
    for (const e of this.entries.values()) if (this.isPending(e)) return e.enqueuedAt;
    return undefined;
  }

  private write(recs: JournalRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('outbox is closed'));
    return new Promise<void>((resolve, reject) => {
      this.jobs.push({
        kind: 'lines',
        lines: recs.map((r) => JSON.stringify(r)),
        apply: () => {
          for (const r of recs) this.applyRecord(r);
          this.records += recs.length;
        },
        resolve,
        reject,
      });
      void this.drainJobs();
    });
  }

  private maybeCompact(): Promise<void> {
    if (this.records - this.liveRecordCount() < this.compactSlack) return Promise.resolve();
    return this.compact();
  }

  private liveRecordCount(): number {
    let n = 0;
    const t = this.now();
    for (const e of this.entries.values()) {
      if (this.keep(e)) n += 1 + e.done.size;
      else if (t - e.enqueuedAt < this.retainIdsMs) n++;
    }
    for (const at of this.tombstones.values()) if (t - at < this.retainIdsMs) n++;
    return n;
  }

  private keep(e: OutboxEntry): boolean {
    return this.isPending(e) || this.now() - e.enqueuedAt < this.retainDeliveredMs;
  }

  /** Rewrite the journal with live records only (pending, and delivered within the retention). */
  compact(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.jobs.push({ kind: 'compact', lines: [], apply: () => {}, resolve, reject });
      void this.drainJobs();
    });
  }

  // One writer: batches of appends share a write and an fsync; compaction runs between batches.
  private async drainJobs(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.jobs.length > 0) {
        if (this.jobs[0]!.kind === 'compact') {
          const job = this.jobs.shift()!;
          try {
            await this.rewrite();
            job.resolve();
          } catch (err) {
            this.log('error', 'outbox: compaction failed; the journal is unchanged', { error: String(err) });
            job.reject(err);
          }
          continue;
        }
        const end = this.jobs.findIndex((j) => j.kind !== 'lines');
        const batch = this.jobs.splice(0, end === -1 ? this.jobs.length : end);
        const text = `${this.needsNewline ? '\n' : ''}${batch.flatMap((j) => j.lines).join('\n')}\n`;
        try {
          await this.io!.append(text);
          this.needsNewline = false;
          for (const j of batch) j.apply();
          for (const j of batch) j.resolve();
        } catch (err) {
          // A partial write may have left half a line; start the next batch on a fresh line.
          this.needsNewline = true;
          for (const j of batch) j.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async rewrite(): Promise<void> {
    const lines: string[] = [];
    const dropped: string[] = [];
    const now = this.now();
    const tombstones = new Map<string, number>();
    for (const [id, at] of this.tombstones) if (now - at < this.retainIdsMs) tombstones.set(id, at);
    for (const e of this.entries.values()) {
      if (!this.keep(e)) {
        dropped.push(e.alert.id);
        if (now - e.enqueuedAt < this.retainIdsMs) tombstones.set(e.alert.id, e.enqueuedAt);
        continue;
      }
      lines.push(JSON.stringify({ t: 'enq', alert: e.alert, sinks: e.sinks, at: e.enqueuedAt }));
      for (const [sink, how] of e.done) {
        lines.push(
          JSON.stringify(
            how === 'ack'
              ? { t: 'ack', id: e.alert.id, sink, at: e.enqueuedAt }
              : { t: 'drop', id: e.alert.id, sink, reason: how, at: e.enqueuedAt },
          ),
        );
      }
    }
    for (const [id, at] of tombstones) lines.push(JSON.stringify({ t: 'done', id, at }));
    await this.io!.rewrite(lines.length > 0 ? `${lines.join('\n')}\n` : '');
    this.needsNewline = false;
    for (const id of dropped) this.entries.delete(id);
    this.tombstones.clear();
    for (const [id, at] of tombstones) this.tombstones.set(id, at);
    this.records = lines.length;
    this.log('debug', 'outbox: compacted', {
      file: this.file,
      records: lines.length,
      removed: dropped.length,
    });
  }

  /** Bytes on disk (for tests and diagnostics). */
  async size(): Promise<number> {
    return statSync(this.file).size;
  }

  /** Waits for queued writes, then closes the file. Pending alerts stay for the next open. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writing || this.jobs.length > 0) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    await this.io?.close();
    this.io = undefined;
  }
}

function parseRecord(line: string): JournalRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (typeof r.at !== 'number') return undefined;
  if (r.t === 'enq') {
    const a = r.alert as Record<string, unknown> | undefined;
    if (typeof a !== 'object' || a === null || typeof a.id !== 'string' || typeof a.key !== 'string')
      return undefined;
    if (!Array.isArray(r.sinks) || !r.sinks.every((s) => typeof s === 'string')) return undefined;
    return r as unknown as JournalRecord;
  }
  if (r.t === 'done' && typeof r.id === 'string') return r as unknown as JournalRecord;
  if ((r.t === 'ack' || r.t === 'drop') && typeof r.id === 'string' && typeof r.sink === 'string') {
    if (r.t === 'drop' && typeof r.reason !== 'string') return undefined;
    return r as unknown as JournalRecord;
  }
  return undefined;
}
