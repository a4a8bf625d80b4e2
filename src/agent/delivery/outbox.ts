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
 * Delivery is at-least-once per sink: a record is acked only after the receiver's 2xx, so an alert
 * whose 2xx never arrived (late, lost, or the agent died before the ack's fsync) is sent again.
 * Receivers dedupe on the alert id (README.md, "Guarantees").
 */
import { closeSync, lstatSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { syncDirSync, truncateDurableSync } from '../../host/durable.ts';
import { describeFsError, ensureDirSync } from '../local-disk.ts';
import type { Log } from '../log.ts';
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
  log?: Log;
  now?: () => number;
  /**
   * Entries kept when loading a journal: beyond it the oldest are left out (and counted), so a
   * damaged or runaway outbox cannot make the start-up use gigabytes. Default 10,000.
   */
  maxEntries?: number;
  /** Alerts held in memory only while the disk refuses writes; beyond it the oldest go (counted). */
  maxMemoryOnly?: number;
  /** While the disk refuses writes, retry persisting this often (ms). */
  retryMs?: number;
  /** Every change of the disk's state: an error when writes start failing, undefined when they work again. */
  onPersist?: (error: string | undefined) => void;
}

/** What loading the journal could not keep, by reason; reported in logs and metrics. */
export interface LoadReport {
  /** Lines that are not a record (garbage, a foreign format, a half-written line in the middle). */
  unreadable: number;
  /** Lines longer than MAX_RECORD_BYTES (no alert is that large): skipped without being held in memory. */
  tooLong: number;
  /** Entries beyond maxEntries, oldest first. */
  overLimit: number;
  /** Something other than a file stood in the journal's place; it was renamed to this path. */
  movedAside: string | undefined;
}

/** No record the agent writes comes near this; a longer line is damage, skipped while streaming. */
export const MAX_RECORD_BYTES = 1 << 20;
const READ_CHUNK = 1 << 20;
/** Remembered ids (tombstones) kept at most: idempotency for recent alerts, bounded memory. */
const MAX_TOMBSTONES = 50_000;

export const JOURNAL_FILE = 'outbox.jsonl';

interface WriteJob {
  kind: 'lines' | 'compact';
  lines: string[];
  apply: () => void;
  /** The enqueued ids among the lines (held in memory only if the write fails). */
  enqueued: string[];
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
  private readonly maxEntries: number;
  private readonly maxMemoryOnly: number;
  private readonly retryMs: number;
  private readonly onPersist: (error: string | undefined) => void;
  /** Why the disk refuses writes now; undefined while it works. */
  private persistError: string | undefined;
  /** Ids of entries whose enqueue record is not on disk (held in memory while the disk fails). */
  private readonly memoryOnly = new Set<string>();
  private retryTimer: NodeJS.Timeout | undefined;
  /** False when the journal could not be read at open: never overwrite what was not read. */
  private loaded = false;
  readonly loadReport: LoadReport = { unreadable: 0, tooLong: 0, overLimit: 0, movedAside: undefined };

  private constructor(dir: string, opts: OutboxOptions) {
    this.dir = dir;
    this.file = join(dir, JOURNAL_FILE);
    this.active = new Set(opts.sinks);
    this.now = opts.now ?? Date.now;
    this.retainDeliveredMs = opts.retainDeliveredMs ?? 0;
    this.retainIdsMs = Math.max(this.retainDeliveredMs, opts.retainIdsMs ?? 86_400_000);
    this.compactSlack = opts.compactSlack ?? 1000;
    this.log = opts.log ?? (() => {});
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.maxMemoryOnly = opts.maxMemoryOnly ?? 1000;
    this.retryMs = opts.retryMs ?? 5000;
    this.onPersist = opts.onPersist ?? (() => {});
  }

  /**
   * Opens the journal. A disk that refuses (read-only, full, no permission) does not stop the agent:
   * the outbox starts in memory, says so (persistProblem, onPersist), and retries until it can write.
   */
  static async open(dir: string, opts: OutboxOptions): Promise<Outbox> {
    const box = new Outbox(dir, opts);
    try {
      ensureDirSync(dir);
      box.load();
      box.loaded = true;
    } catch (err) {
      box.failed(err, 'cannot open the outbox');
    }
    box.io = JournalIo.create(box.file);
    if (box.persistError === undefined)
      await box.io.append('').catch((err) => box.failed(err, 'cannot open the outbox'));
    box.reportLoad();
    return box;
  }

  /** Why alerts are not durable now (undefined: they are). */
  get persistProblem(): string | undefined {
    return this.persistError;
  }

  /** Alerts held only in memory because the disk refused them. */
  memoryOnlyCount(): number {
    return this.memoryOnly.size;
  }

  /**
   * Streams the journal in 1 MiB chunks (synchronous: start-up only, and no libuv pool thread is
   * needed, see journal-io.ts). Memory stays bounded whatever is on disk: lines over
   * MAX_RECORD_BYTES are skipped without being buffered, entries beyond maxEntries are left out
   * oldest first, and a thing that is not a file is moved aside. All of it is counted in loadReport.
   */
  private load(): void {
    // A temp file is a compaction that did not reach its rename: the journal itself is still whole.
    rmSync(`${this.file}.tmp`, { force: true, recursive: true });
    let st: ReturnType<typeof lstatSync> | undefined;
    try {
      st = lstatSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (st !== undefined && !st.isFile()) {
      const aside = `${this.file}.damaged-${this.now()}`;
      renameSync(this.file, aside);
      this.loadReport.movedAside = aside;
      st = undefined;
    }
    if (st === undefined) {
      closeSync(openSync(this.file, 'a'));
      syncDirSync(this.dir);
      return;
    }
    const fd = openSync(this.file, 'r');
    let wholeBytes = 0;
    let size = 0;
    try {
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      let parts: Buffer[] = [];
      let partBytes = 0;
      let skipping = false;
      let lineNo = 0;
      let pos = 0;
      for (;;) {
        const n = readSync(fd, chunk, 0, READ_CHUNK, pos);
        if (n === 0) break;
        let from = 0;
        for (;;) {
          const nl = chunk.indexOf(0x0a, from);
          const end = nl === -1 || nl >= n ? n : nl;
          if (!skipping) {
            if (partBytes + (end - from) > MAX_RECORD_BYTES) {
              skipping = true;
              parts = [];
              partBytes = 0;
            } else if (end > from) {
              parts.push(Buffer.from(chunk.subarray(from, end)));
              partBytes += end - from;
            }
          }
          if (end === n) break;
          // A whole line ends here.
          lineNo++;
          if (skipping) this.skipped('tooLong', lineNo);
          else if (partBytes > 0) this.loadLine(Buffer.concat(parts, partBytes).toString('utf8'), lineNo);
          parts = [];
          partBytes = 0;
          skipping = false;
          wholeBytes = pos + end + 1;
          from = end + 1;
        }
        pos += n;
      }
      size = pos;
    } finally {
      closeSync(fd);
    }
    this.trimEntries();
    if (wholeBytes < size) {
      // Never acknowledged (enqueue/ack resolve only after the newline is fsync'd): safe to cut.
      this.log('warn', 'outbox: cut a torn last record left by a crash', {
        file: this.file,
        bytes: size - wholeBytes,
      });
      truncateDurableSync(this.file, wholeBytes);
    }
  }

  private loadLine(line: string, lineNo: number): void {
    const rec = parseRecord(line);
    if (rec === undefined) {
      this.skipped('unreadable', lineNo);
      return;
    }
    this.records++;
    this.applyRecord(rec);
    // Bounded while loading, not after: trimmed in batches (one iterator pass each; deleting Map
    // heads one at a time is quadratic in V8), so at most twice maxEntries are ever held.
    if (this.entries.size >= 2 * this.maxEntries) this.trimEntries();
  }

  /** Keep the newest maxEntries entries; the oldest go (a pending one is counted as overLimit). */
  private trimEntries(): void {
    let excess = this.entries.size - this.maxEntries;
    if (excess <= 0) return;
    for (const [id, e] of this.entries) {
      if (excess-- <= 0) break;
      if (this.isPending(e)) this.loadReport.overLimit++;
      this.entries.delete(id);
      this.remember(id, e.enqueuedAt);
    }
  }

  private skipped(kind: 'unreadable' | 'tooLong', lineNo: number): void {
    this.loadReport[kind]++;
    // The first few by line number, then only the count: 275k garbage lines are one summary, not 275k logs.
    if (this.loadReport.unreadable + this.loadReport.tooLong <= 3) {
      this.log(
        'warn',
        `outbox: ${this.file}:${lineNo}: ${kind === 'tooLong' ? 'overlong' : 'unreadable'} record skipped`,
        {
          file: this.file,
          line: lineNo,
        },
      );
    }
  }

  private reportLoad(): void {
    const r = this.loadReport;
    if (r.movedAside !== undefined) {
      this.log('error', 'outbox: the journal was not a file; moved aside, starting a new one', {
        file: this.file,
        movedTo: r.movedAside,
      });
    }
    if (r.unreadable + r.tooLong + r.overLimit > 0) {
      this.log('error', 'outbox: damaged journal; kept every readable record, left out the rest', {
        file: this.file,
        unreadable: r.unreadable,
        tooLong: r.tooLong,
        overLimit: r.overLimit,
        kept: this.entries.size,
      });
    }
  }

  private remember(id: string, at: number): void {
    this.tombstones.set(id, at);
    if (this.tombstones.size < MAX_TOMBSTONES * 1.25) return;
    let excess = this.tombstones.size - MAX_TOMBSTONES;
    for (const old of this.tombstones.keys()) {
      if (excess-- <= 0) break;
      this.tombstones.delete(old);
    }
  }

  private applyRecord(rec: JournalRecord): void {
    if (rec.t === 'done') {
      if (!this.entries.has(rec.id)) this.remember(rec.id, rec.at);
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
    return this.write([rec]).then(() =>
      this.maybeCompact().catch((err) => this.failed(err, 'cannot compact the outbox')),
    );
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
        enqueued: recs.flatMap((r) => (r.t === 'enq' ? [r.alert.id] : [])),
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
      this.jobs.push({ kind: 'compact', lines: [], enqueued: [], apply: () => {}, resolve, reject });
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
            // While the disk is known to refuse writes, failed() reports it once, not every retry.
            if (this.persistError === undefined)
              this.log('error', 'outbox: compaction failed; the journal is unchanged', {
                error: String(err),
              });
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
          // The disk works again, but what it refused is only in memory: rewrite it now.
          if (this.persistError !== undefined) this.scheduleRecovery(0);
        } catch (err) {
          // A partial write may have left half a line; start the next batch on a fresh line.
          this.needsNewline = true;
          // The disk refused (full, read-only, I/O error). An alert is never dropped for that: it
          // is kept in memory (bounded), sent as usual, and written once the disk takes writes again.
          for (const j of batch) {
            j.apply();
            for (const id of j.enqueued) this.memoryOnly.add(id);
          }
          this.boundMemoryOnly();
          this.failed(err, 'cannot write the outbox');
          for (const j of batch) j.resolve();
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async rewrite(): Promise<void> {
    // Never replace a journal that could not be read: its pending alerts would be lost.
    if (!this.loaded) throw new Error(`${this.file}: not read yet; not rewritten`);
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

  /** Memory-only alerts are bounded too: beyond maxMemoryOnly the oldest pending one goes (counted). */
  private boundMemoryOnly(): void {
    while (this.memoryOnly.size > this.maxMemoryOnly) {
      const id = this.memoryOnly.values().next().value as string;
      this.memoryOnly.delete(id);
      if (this.entries.delete(id)) this.droppedMemoryOnly++;
    }
  }

  /** Alerts dropped because too many were held in memory while the disk failed. */
  droppedMemoryOnly = 0;

  private failed(err: unknown, what: string): void {
    const cause = describeFsError(err);
    if (this.persistError !== cause) {
      this.log('error', `outbox: ${what}; alerts are kept in memory and still sent`, {
        file: this.file,
        error: cause,
        memoryOnly: this.memoryOnly.size,
      });
      const first = this.persistError === undefined;
      this.persistError = cause;
      if (first) this.onPersist(cause);
    }
    this.scheduleRecovery(this.retryMs);
  }

  private scheduleRecovery(ms: number): void {
    if (this.closed || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.recover();
    }, ms);
    this.retryTimer.unref();
  }

  /** Read what could not be read at open, then rewrite the journal from memory (memory-only alerts included). */
  private async recover(): Promise<void> {
    if (this.closed || this.persistError === undefined) return;
    try {
      ensureDirSync(this.dir);
      if (!this.loaded) {
        this.load();
        this.loaded = true;
        this.reportLoad();
      }
      await this.compact();
    } catch (err) {
      this.failed(err, 'still cannot write the outbox');
      return;
    }
    if (this.closed) return;
    this.log('info', 'outbox: the disk takes writes again; alerts held in memory are on disk now', {
      file: this.file,
      persisted: this.memoryOnly.size,
    });
    this.memoryOnly.clear();
    this.persistError = undefined;
    this.onPersist(undefined);
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
    clearTimeout(this.retryTimer);
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
