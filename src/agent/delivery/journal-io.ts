/**
 * The outbox's disk writes, on a thread of their own. Node's async fs runs on libuv's 4-thread pool;
 * one in-process stat of a hung mount parks a pool thread until the kernel returns, and four of them
 * stop every async fs call in the process (https://nodejs.org/api/fs.html#threadpool-usage,
 * UV_THREADPOOL_SIZE defaults to 4: https://docs.libuv.org/en/v1.x/threadpool.html). An outbox whose fsync waits
 * behind them would hold every alert. So appends, fsyncs and compaction renames run as synchronous
 * calls in a dedicated worker thread: they wait only for the local disk, never for the pool, and the
 * event loop (and /healthz) never waits for the disk.
 * The thread's code is journal-io.worker.ts (writes through src/host/durable.ts). Node's module loader
 * reads that file with async fs, so a thread starts only while the pool is free: the first one starts
 * at Outbox.open, and a replacement for a thread that died waits for the pool.
 */
import { Worker } from 'node:worker_threads';
import type { JournalOp, JournalReply } from './journal-io.worker.ts';

/** The writer thread's module, a sibling of this one: .ts under tsx (tests), .js in dist/. */
const WORKER_URL = new URL(
  `./journal-io.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * From dist/ the worker is plain JavaScript. Under tsx it is TypeScript, and Node 20 does not run the
 * `--import tsx` preload in worker threads: a two-line bootstrap registers tsx in the thread first
 * (with no inherited execArgv, so a Node that does run preloads in workers does not register it twice).
 */
function startWorker(): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => t.register()).then(() => import(${JSON.stringify(WORKER_URL.href)}));`;
  return new Worker(boot, { eval: true, execArgv: [] });
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

  private call(msg: JournalOp): Promise<void> {
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
    const w = startWorker();
    // Only pending work keeps the process alive; an idle outbox must not.
    w.unref();
    w.on('message', (r: JournalReply) => {
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

  private post(w: Worker, msg: JournalOp): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...msg, id });
    });
  }
}
