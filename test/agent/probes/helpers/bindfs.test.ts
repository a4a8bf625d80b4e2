import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type FrozenMount, startFrozenMount } from '../../../helpers/bindfs.ts';
import { run } from './run.ts';

describe('startFrozenMount (real bindfs / FUSE)', () => {
  let m: FrozenMount | undefined;
  after(async () => m?.stop());

  it('mounts, freezes (stat from a child hangs), makes D-state processes, thaws and unmounts', async () => {
    m = await startFrozenMount();
    const mi = await readFile('/proc/self/mountinfo', 'utf8');
    const line = mi.split('\n').find((l) => l.split(' ')[4] === m!.mountpoint);
    assert.ok(line, 'mount listed in mountinfo');
    assert.match(line!, / - fuse\.bindfs /);

    const ok = await run('stat', [`${m.mountpoint}/hello.txt`], 5000);
    assert.equal(ok.code, 0, ok.stderr);

    const pids = await m.spawnDState(3);
    assert.equal(m.frozen(), true);
    for (const pid of pids) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      assert.equal(stat.slice(stat.lastIndexOf(')') + 2)[0], 'D');
      assert.equal((await readFile(`/proc/${pid}/wchan`, 'utf8')).trim(), 'folio_wait_bit_common');
    }
    // The test process keeps working: it never touched the mountpoint itself.
    assert.match(await readFile('/proc/self/status', 'utf8'), /^Name:/m);
    // A name the kernel has not cached yet needs a FUSE LOOKUP, which the stopped daemon never answers.
    writeFileSync(join(m.source, 'uncached.txt'), 'x');
    const hung = await run('stat', [`${m.mountpoint}/uncached.txt`], 500);
    assert.equal(hung.signal, 'SIGKILL', 'stat of a frozen mount does not return');

    m.thaw();
    const again = await run('stat', [`${m.mountpoint}/hello.txt`], 5000);
    assert.equal(again.code, 0, again.stderr);

    const mountpoint = m.mountpoint;
    await m.stop();
    const after = await readFile('/proc/self/mountinfo', 'utf8');
    assert.equal(
      after.split('\n').some((l) => l.split(' ')[4] === mountpoint),
      false,
    );
  });
});
