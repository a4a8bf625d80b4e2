import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { startFrozenMount, suiteFrozenMount } from '../../../helpers/bindfs.ts';
import { processState } from '../../../helpers/proc.ts';
import { signalGroup } from '../../../helpers/process-group.ts';
import { run } from './run.ts';

function isMounted(mountpoint: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === mountpoint);
}

/** State letter of a process; undefined once it is gone (a zombie counts as gone). */
function state(pid: number): string | undefined {
  const s = processState(pid);
  return s === 'Z' ? undefined : s;
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && state(pid) !== undefined; i++) await new Promise((r) => setTimeout(r, 50));
  return state(pid) === undefined;
}

/** A child test process holding a frozen mount (frozen-mount-child.ts), killed with `signal`. */
async function childWithFrozenMount(signal: NodeJS.Signals): Promise<{ mountpoint: string; pid: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'frozen-mount-child.ts')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`frozen-mount child exited early (${code})`)));
  });
  const held = JSON.parse(line) as { mountpoint: string; pid: number };
  leftovers.push(held);
  // Killed whatever the assertion says: a child left running holds its stdout pipe open, and this file
  // (and the lab lock around it) would then never finish.
  try {
    assert.equal(state(held.pid), 'T', 'bindfs is stopped while the child runs');
  } finally {
    child.kill(signal);
    await exited;
  }
  return held;
}

// Whatever a failed assertion leaves behind is cleaned here, so this file cannot leak a frozen mount.
const leftovers: { mountpoint: string; pid: number }[] = [];
after(() => {
  for (const { mountpoint, pid } of leftovers) {
    signalGroup(pid, 'SIGCONT');
    spawnSync('fusermount3', ['-u', '-z', mountpoint], { stdio: 'ignore' });
    signalGroup(pid, 'SIGKILL');
  }
});

describe('startFrozenMount (real bindfs / FUSE)', () => {
  const frozenMount = suiteFrozenMount();

  it('mounts, freezes (stat from a child hangs), makes D-state processes, thaws and unmounts', async () => {
    const m = await frozenMount();
    const mi = await readFile('/proc/self/mountinfo', 'utf8');
    const line = mi.split('\n').find((l) => l.split(' ')[4] === m.mountpoint);
    assert.ok(line, 'mount listed in mountinfo');
    assert.match(line!, / - fuse\.bindfs /);

    const ok = await run('stat', [`${m.mountpoint}/hello.txt`], 5000);
    assert.equal(ok.code, 0, ok.stderr);

    const pids = await m.spawnDState(3);
    assert.equal(m.frozen(), true);
    for (const pid of pids) {
      assert.equal(processState(pid), 'D');
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

  it('a test process stopped by SIGTERM thaws, unmounts and kills its bindfs on the way out', async () => {
    const held = await childWithFrozenMount('SIGTERM');
    assert.equal(isMounted(held.mountpoint), false, 'mount removed');
    assert.ok(await gone(held.pid), `bindfs ${held.pid} still there (state ${state(held.pid)})`);
  });

  it('a SIGKILLed test process cannot clean up; the next startFrozenMount() sweeps its frozen mount', async () => {
    const held = await childWithFrozenMount('SIGKILL');
    // Nothing runs in a SIGKILLed process: the mount and the stopped daemon outlive it.
    assert.equal(isMounted(held.mountpoint), true);
    assert.equal(state(held.pid), 'T');
    const next = await startFrozenMount();
    try {
      assert.equal(isMounted(held.mountpoint), false, 'orphaned mount swept');
      assert.ok(await gone(held.pid), `orphaned bindfs ${held.pid} still there (state ${state(held.pid)})`);
      assert.equal(isMounted(next.mountpoint), true, 'the new mount is untouched');
    } finally {
      await next.stop();
    }
  });
});
