import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MountSandbox } from '../../../src/agent/sandbox/mount-sandbox.ts';
import { parseStatChildReport } from '../../../src/agent/sandbox/stat-child.ts';
import { type FrozenMount, startFrozenMount } from '../../helpers/bindfs.ts';

describe('MountSandbox', () => {
  const sandboxes: MountSandbox[] = [];
  let m: FrozenMount | undefined;
  after(async () => {
    for (const s of sandboxes) s.close();
    await m?.stop();
  });
  const sandbox = (maxChildren = 8) => {
    const s = new MountSandbox({ maxChildren });
    sandboxes.push(s);
    return s;
  };

  it('reports a responsive local directory with the statfs magic of its filesystem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-sb-'));
    const c = await sandbox().check(dir, AbortSignal.timeout(10_000));
    assert.equal(c.status, 'responsive');
    if (c.status !== 'responsive') return;
    assert.equal(c.report.ok, true);
    assert.equal(typeof c.report.fsType, 'number');
    assert.ok(c.seconds >= 0);
  });

  it('passes filesystem errors through with their errno code (ENOENT)', async () => {
    const c = await sandbox().check('/nonexistent/faultline/path', AbortSignal.timeout(10_000));
    assert.equal(c.status, 'error');
    if (c.status === 'error') assert.equal(c.code, 'ENOENT');
  });

  it('reports ENOTCONN for a FUSE mount whose daemon died (the "Transport endpoint" case)', async () => {
    m = await startFrozenMount();
    process.kill(m.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const c = await sandbox().check(m.mountpoint, AbortSignal.timeout(10_000));
    assert.equal(c.status, 'error', JSON.stringify(c));
    if (c.status === 'error') assert.equal(c.code, 'ENOTCONN');
  });

  it('never passes a path that starts with "-" to node as an option', async () => {
    const c = await sandbox().check('--version', AbortSignal.timeout(10_000));
    assert.equal(c.status, 'error');
    if (c.status === 'error') assert.equal(c.code, 'ENOENT');
  });

  it('parses only report lines', () => {
    assert.equal(parseStatChildReport('started'), undefined);
    assert.equal(parseStatChildReport('{"x":1}'), undefined);
    assert.deepEqual(parseStatChildReport('{"ok":false,"code":"EIO"}'), { ok: false, code: 'EIO' });
  });
});
