import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RootFs } from '../../src/host/rootfs.ts';

function fakeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'fl-agentcore-root-'));
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'run/systemd/resolve'), { recursive: true });
  writeFileSync(join(root, 'run/systemd/resolve/stub-resolv.conf'), 'nameserver 127.0.0.53\n');
  symlinkSync('/run/systemd/resolve/stub-resolv.conf', join(root, 'etc/resolv.conf'));
  writeFileSync(join(root, 'etc/fstab'), '# empty\n');
  return root;
}

describe('RootFs: a node read under a root', () => {
  it('resolves absolute symlinks inside the root, never on this machine', async () => {
    const fs = new RootFs(fakeRoot());
    const f = await fs.read('/etc/resolv.conf');
    assert.deepEqual(f, {
      path: '/etc/resolv.conf',
      target: '/run/systemd/resolve/stub-resolv.conf',
      text: 'nameserver 127.0.0.53\n',
    });
    assert.equal(await fs.read('/etc/absent'), undefined);
    assert.deepEqual(fs.errors, []);
  });

  it('past its deadline reads nothing more and says so once', async () => {
    const ac = new AbortController();
    const fs = new RootFs(fakeRoot(), { signal: ac.signal });
    assert.ok(await fs.read('/etc/fstab'));
    ac.abort();
    assert.equal(await fs.read('/etc/resolv.conf'), undefined);
    assert.equal(await fs.read('/etc/fstab'), undefined);
    assert.deepEqual(fs.errors, [
      { file: '/etc/resolv.conf', message: 'deadline passed: this and later node files not read' },
    ]);
    assert.equal(fs.filesRead, 1);
  });
});
