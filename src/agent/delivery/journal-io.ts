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
      fd = fs.openSync(m.file, 'a');
    } else if (m.op === 'append') {
      writeAll(fd, m.text);
      fs.fdatasyncSync(fd);
    } else if (m.op === 'rewrite') {
      const tmp = m.file + '.tmp';
      const t = fs.openSync(tmp, 'w');
      try { writeAll(t, m.text); fs.fsyncSync(t); } finally { fs.closeSync(t); }
      fs.renameSync(tmp, m.file);
      syncDir(path.dirname(m.file));
      fs.closeSync(fd);
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
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private dead: Error | undefined;

  private constructor(private readonly file: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    // Only pending work keeps the process alive; an idle outbox must not.
    this.worker.unref();
    this.worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      if (!w) return;
      this.waiting.delete(r.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (r.ok) w.resolve();
      else w.reject(new Error(`${this.file}: ${r.error}`));
    });
    const fail = (err: Error) => {
      this.dead = err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`outbox writer thread exited (${code})`)));
  }

  static async open(file: string): Promise<JournalIo> {
    const io = new JournalIo(file);
    await io.call({ op: 'open', file });
    return io;
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
    if (!this.dead) await this.call({ op: 'close' }).catch(() => {});
    await this.worker.terminate();
  }

  private call(msg: Record<string, unknown>): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...msg, id });
    });
  }
}
