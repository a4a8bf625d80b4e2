import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MountSandbox } from '../../../src/agent/sandbox/mount-sandbox.ts';
import {
  childCommand,
  parseCoreutilsOutput,
  parseStatChildReport,
  type Runner,
} from '../../../src/agent/sandbox/stat-child.ts';
import { type FrozenMount, startFrozenMount } from '../../helpers/bindfs.ts';
import { eventually } from '../../helpers/eventually.ts';
import { processState } from '../../helpers/proc.ts';

describe('MountSandbox', () => {
  const sandboxes: MountSandbox[] = [];
  const mounts: FrozenMount[] = [];
  after(async () => {
    for (const s of sandboxes) s.close();
    for (const m of mounts) await m.stop();
  });
  const sandbox = (runner: Runner, maxChildren = 8) => {
    const s = new MountSandbox({ maxChildren, runner });
    sandboxes.push(s);
    return s;
  };

  for (const runner of ['coreutils', 'node'] as const) {
    it(`${runner}: reports a responsive local directory with the statfs magic of its filesystem`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'faultline-sb-'));
      const c = await sandbox(runner).check(dir, AbortSignal.timeout(10_000));
      assert.equal(c.status, 'responsive');
      if (c.status !== 'responsive') return;
      assert.equal(c.report.ok, true);
      assert.equal(typeof c.report.fsType, 'number');
      assert.ok(c.seconds >= 0);
    });

    it(`${runner}: passes filesystem errors through with their errno code (ENOENT)`, async () => {
      const c = await sandbox(runner).check('/nonexistent/faultline/path', AbortSignal.timeout(10_000));
      assert.equal(c.status, 'error');
      if (c.status === 'error') assert.equal(c.code, 'ENOENT');
    });

    it(`${runner}: reports ENOTCONN for a FUSE mount whose daemon died (the "Transport endpoint" case)`, async () => {
      const m = await startFrozenMount();
      mounts.push(m);
      process.kill(m.pid, 'SIGKILL');
      // Wait for the daemon to be gone (not a fixed sleep: a loaded machine reaps it later).
      await eventually('the FUSE daemon to exit', () => [undefined, 'Z'].includes(processState(m.pid)));
      const c = await sandbox(runner).check(m.mountpoint, AbortSignal.timeout(10_000));
      assert.equal(c.status, 'error', JSON.stringify(c));
      if (c.status === 'error') assert.equal(c.code, 'ENOTCONN');
    });

    it(`${runner}: hung mount → one child, stuck until thawed, then reaped and responsive`, async () => {
      const m = await startFrozenMount();
      mounts.push(m);
      const sb = sandbox(runner);
      m.freeze();
      const first = await sb.check(m.mountpoint, AbortSignal.timeout(3000));
      assert.equal(first.status, 'hung', JSON.stringify(first));
      if (first.status === 'hung') assert.equal(first.spawned, true);
      assert.equal(sb.stuck(m.mountpoint), 1);
      const again = await sb.check(m.mountpoint, AbortSignal.timeout(200));
      assert.equal(again.status, 'hung');
      if (again.status === 'hung') assert.equal(again.spawned, false, 'no second child while one is stuck');
      assert.equal(sb.totalStuck(), 1);
      m.thaw();
      const back = await sb.check(m.mountpoint, AbortSignal.timeout(10_000));
      assert.equal(back.status, 'responsive', JSON.stringify(back));
      assert.equal(sb.totalStuck(), 0);
    });

    it(`${runner}: never passes a path that starts with "-" to node as an option`, async () => {
      const c = await sandbox(runner).check('--version', AbortSignal.timeout(10_000));
      assert.equal(c.status, 'error');
      if (c.status === 'error') assert.equal(c.code, 'ENOENT');
    });
  }

  it('prefers coreutils when present and maps its error texts to errno names', () => {
    assert.equal(childCommand('/x', 'auto').runner, 'coreutils');
    assert.equal(childCommand('/x', 'node').runner, 'node');
    assert.deepEqual(parseCoreutilsOutput(0, '64768 41ed\n65735546 1000 500 4096\n', ''), {
      ok: true,
      dev: 64768,
      mode: 0o40755,
      fsType: 0x65735546,
      blocks: 1000,
      bavail: 500,
      bsize: 4096,
    });
    const stale = parseCoreutilsOutput(
      1,
      '',
      "stat: cannot read file system information for '/mnt/x': Stale file handle\n",
    );
    assert.equal(stale.code, 'ESTALE');
    assert.equal(stale.syscall, 'statfs');
  });

  it('parses only report lines', () => {
    assert.equal(parseStatChildReport('started'), undefined);
    assert.equal(parseStatChildReport('{"x":1}'), undefined);
    assert.deepEqual(parseStatChildReport('{"ok":false,"code":"EIO"}'), { ok: false, code: 'EIO' });
  });
});
