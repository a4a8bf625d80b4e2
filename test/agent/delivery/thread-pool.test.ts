/**
 * The failure the agent exists for, turned on delivery itself: every libuv pool thread of this
 * process parked on a hung FUSE mount (four fs.stat calls fill libuv's default pool of 4,
 * https://docs.libuv.org/en/v1.x/threadpool.html). Async fs is then dead
 * in this process; alerts must still be made durable and sent.
 */
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { startFrozenMount } from '../../helpers/bindfs.ts';
import { requireExecutable } from '../../helpers/lab.ts';
import { alert, deliveryFor, removeTempDirs } from './harness.ts';
import { startReceiver } from './receiver.ts';

after(removeTempDirs);

it('enqueues durably and delivers while every libuv pool thread is parked on a hung mount', async () => {
  requireExecutable('bindfs', 'bindfs');
  const mount = await startFrozenMount();
  const rx = await startReceiver();
  const { d } = await deliveryFor({
    sinks: [{ type: 'webhook', name: 'hook', url: rx.url }],
    retry: { initial: '10ms', max: '50ms' },
  });
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const parked: Promise<unknown>[] = [];
  try {
    mount.freeze();
    for (let i = 0; i < poolSize; i++)
      parked.push(stat(join(mount.mountpoint, `probe-${i}`)).catch(() => {}));
    // The canary proves the setup: a read of a local file cannot finish while the pool is parked.
    let canary = false;
    parked.push(readFile(import.meta.filename).then(() => (canary = true)));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(canary, false, 'the libuv pool is parked');

    for (let i = 0; i < 5; i++) await d.enqueue(alert(i));
    await d.drain(10_000);
    assert.deepEqual(
      rx.received.map((r) => r.headers['x-faultline-alert-id']),
      ['alert-0', 'alert-1', 'alert-2', 'alert-3', 'alert-4'],
    );
    assert.equal(d.pending(), 0, 'every ack is on disk too');
    assert.equal(canary, false, 'the pool stayed parked throughout');
    await d.close();
  } finally {
    mount.thaw();
    await Promise.all(parked);
    await mount.stop();
    await rx.stop();
  }
});
