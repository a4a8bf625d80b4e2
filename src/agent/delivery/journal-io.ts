/**
 * The outbox's disk writes, on a thread of their own. Node's async fs runs on libuv's 4-thread pool;
 * one in-process stat of a hung mount parks a pool thread until the kernel returns, and four of them
 * stop every async fs call in the process (../shared/knowledge.md §1). An outbox whose fsync waits
 * behind them would hold every alert. So appends, fsyncs and compaction renames run as synchronous
 * calls in a dedicated worker thread: they wait only for the local disk, never for the pool, and the
 * event loop (and /healthz) never waits for the disk.
 */
import { Worker } from 'node:worker_threads';

// Plain JavaScript evaluated in the worker, so it runs the same under tsx and from dist/.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
let fd;
let file;
function writeAll(f, text) {
  const b = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < b.length) off += fs.writeSync(f, b, off);
}
function syncDir(dir) {
  const d = fs.openSync(dir, 'r');
  try { fs.fsyncSync(d); } finally { fs.closeSync(d); }
}
parentPort.on('message', (m) => {
  try {
    if (m.op === 'open') {
      file = m.file;
      fd = fs.openSync(m.file, 'a');
    } else if (m.op === 'append') {
      // The open failed (read-only or missing directory): try again, the disk may be back.
      if (fd === undefined) fd = fs.openSync(file, 'a');
      writeAll(fd, m.text);
      fs.fdatasyncSync(fd);
    } else if (m.op === 'rewrite') {
      const tmp = m.file + '.tmp';
      const t = fs.openSync(tmp, 'w');
      try { writeAll(t, m.text); fs.fsyncSync(t); } finally { fs.closeSync(t); }
      fs.renameSync(tmp, m.file);
      syncDir(path.dirname(m.file));
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
      fd = fs.openSync(m.file, 'a');
    } else if (m.op === 'close') {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    }
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: String((e && e.message) || e) });
  }
});
`;

interface Reply {
  id: number;
  ok: boolean;
  error?: string;
}

export class JournalIo {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private closed = false;

  private constructor(private readonly file: string) {}

  static async open(file: string): Promise<JournalIo> {
    const io = new JournalIo(file);
    await io.call({ op: 'append', text: '' });
    return io;
  }

  /** Without the first write: a file that cannot be opened yet is retried by each later append. */
  static create(file: string): JournalIo {
    return new JournalIo(file);
  }

  /** Append and fdatasync: resolves once the bytes are on disk. */
  append(text: string): Promise<void> {
    return this.call({ op: 'append', text });
  }

  /** Replace the journal: temp file, fsync, rename, directory fsync, reopen for append. */
  rewrite(text: string): Promise<void> {
    return this.call({ op: 'rewrite', file: this.file, text });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    if (w === undefined) return;
    await this.post(w, { op: 'close' }).catch(() => {});
    this.worker = undefined;
    await w.terminate();
  }

  /** Simulates the writer thread dying (tests): pending calls fail, the next call starts a new one. */
  async killThread(): Promise<void> {
    await this.worker?.terminate();
  }

  private call(msg: Record<string, unknown>): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.file}: outbox writer is closed`));
    // A thread that died (it should not) is replaced on the next call: a dead writer would mean no
    // alert is ever made durable again. Messages run in order, so the open precedes the write.
    if (this.worker === undefined) {
      this.worker = this.spawn();
      void this.post(this.worker, { op: 'open', file: this.file }).catch(() => {});
    }
    return this.post(this.worker, msg);
  }

  private spawn(): Worker {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    // Only pending work keeps the process alive; an idle outbox must not.
    w.unref();
    w.on('message', (r: Reply) => {
      const p = this.waiting.get(r.id);
      if (!p) return;
      this.waiting.delete(r.id);
      if (this.waiting.size === 0) w.unref();
      if (r.ok) p.resolve();
      else p.reject(new Error(`${this.file}: ${r.error}`));
    });
    const gone = (err: Error) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      for (const p of this.waiting.values()) p.reject(err);
      this.waiting.clear();
    };
    w.on('error', gone);
    w.on('exit', (code) => gone(new Error(`${this.file}: outbox writer thread exited (${code})`)));
    return w;
  }

  private post(w: Worker, msg: Record<string, unknown>): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...msg, id });
    });
  }
}
