/**
 * A stand-in for a test process that dies while its mount is frozen (bindfs.test.ts): it starts a
 * frozen mount with D-state processes on it, prints {mountpoint, pid} and waits to be signalled.
 */
import { startFrozenMount } from '../../../helpers/bindfs.ts';

const m = await startFrozenMount();
await m.spawnDState(1);
process.stdout.write(`${JSON.stringify({ mountpoint: m.mountpoint, pid: m.pid })}\n`);
setInterval(() => {}, 1 << 30);
