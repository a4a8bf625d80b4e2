/**
 * SIGKILL tests with real processes: the sender is a child running createDelivery; the receiver is a
 * local HTTP server. What they prove is the claim in delivery/index.ts, exactly:
 * - nothing enqueued is lost across SIGKILL;
 * - every (sink, id) gets exactly one 2xx answer; a request is repeated only if the sender died
 *   before that request was answered (the receiver saw it, never answered it 2xx).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../helpers/ports.ts';
import { removeTempDirs, tempStateDir } from './harness.ts';
import { type Received, type Receiver, startReceiver } from './receiver.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const children = new Set<ChildProcess>();

function sigkill(child: ChildProcess): Promise<void> {
  const gone = new Promise<void>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  return gone.then(() => {
    children.delete(child);
  });
}

/** Starts the sender and resolves once it printed `line` (e.g. "ENQUEUED 40"). */
function startSender(args: object, line: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`sender did not print '${line}' in 60 s: ${out} ${err}`)),
      60_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(line)) {
        clearTimeout(t);
        resolve(child);
      }
    });
    child.once('exit', (code, sig) => {
      if (!out.includes(line)) {
        clearTimeout(t);
        reject(new Error(`sender exited (${code ?? sig}) before '${line}': ${err}`));
      }
    });
  });
}

function key(r: Received): string {
  return `${r.path} ${r.headers['x-faultline-alert-id']}`;
}

function countBy<T>(xs: T[], f: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(f(x), (m.get(f(x)) ?? 0) + 1);
  return m;
}

describe('delivery survives SIGKILL', { concurrency: false }, () => {
  after(async () => {
    for (const c of children) await sigkill(c);
    removeTempDirs();
  });

  it('alerts enqueued while the receiver is down arrive once each after a restart', async () => {
    const N = 40;
    const stateDir = tempStateDir();
    const port = await freePort(); // nothing listens yet: connection refused
    const sinks = [{ type: 'webhook', name: 'hook', url: `http://127.0.0.1:${port}/in` }];
    const sender = await startSender({ stateDir, sinks, count: N }, `ENQUEUED ${N}`);
    await new Promise((r) => setTimeout(r, 300)); // let it fail a few attempts
    await sigkill(sender);

    let rx: Receiver | undefined;
    try {
      rx = await startReceiver(port);
      const resumed = await startSender({ stateDir, sinks, count: 0, drain: true }, 'DRAINED');
      await new Promise((r) => resumed.once('exit', r));
      children.delete(resumed);
      const ids = rx.received.map((r) => r.headers['x-faultline-alert-id']);
      assert.equal(ids.length, N, `received ${ids.length}`);
      assert.equal(new Set(ids).size, N);
      assert.deepEqual([...new Set(ids)].sort(), Array.from({ length: N }, (_, i) => `crash-${i}`).sort());
    } finally {
      await rx?.stop();
    }
  });

  it('SIGKILL mid-delivery: every (sink, id) gets exactly one 2xx; only unanswered requests repeat', async () => {
    const N = 30;
    const SINKS = ['s1', 's2', 's3'];
    const stateDir = tempStateDir();
    const rx = await startReceiver();
    // Phase 1: answer the first requests at once, then hold every answer: requests stay in flight.
    let answered = 0;
    const hold = new Promise<number>(() => {});
    rx.respond = () => (answered++ < 20 ? 200 : hold);
    const sinks = SINKS.map((name) => ({ type: 'webhook', name, url: `${rx.url}/${name}` }));
    try {
      const sender = await startSender({ stateDir, sinks, count: N }, `ENQUEUED ${N}`);
      // 20 answered + one held request per sink = every sink has a request in flight.
      await rx.waitFor(20 + SINKS.length);
      await new Promise((r) => setTimeout(r, 100));
      const beforeKill = rx.received.length;
      await sigkill(sender);
      const heldAtKill = rx.received.filter((r) => r.status === undefined).map(key);
      assert.equal(heldAtKill.length, beforeKill - 20, 'every request after the first 20 was held');
      assert.ok(heldAtKill.length >= SINKS.length);

      // Phase 2: answer at once; a new sender resumes from the same state dir.
      rx.respond = () => 200;
      const resumed = await startSender({ stateDir, sinks, count: 0, drain: true }, 'DRAINED');
      await new Promise((r) => resumed.once('exit', r));
      children.delete(resumed);

      const ok = rx.received.filter((r) => r.status === 200);
      const okCount = countBy(ok, key);
      const expected = SINKS.flatMap((s) => Array.from({ length: N }, (_, i) => `/${s} crash-${i}`));
      assert.deepEqual([...okCount.keys()].sort(), expected.sort(), 'no (sink, id) missing');
      assert.deepEqual(
        [...okCount.entries()].filter(([, n]) => n !== 1),
        [],
        'each (sink, id) answered 2xx exactly once',
      );
      const seen = countBy(rx.received, key);
      const repeated = [...seen.entries()].filter(([, n]) => n > 1).map(([k]) => k);
      assert.deepEqual(
        repeated.sort(),
        [...heldAtKill].sort(),
        'repeats are exactly the requests held at the kill',
      );
    } finally {
      await rx.stop();
    }
  });
});
