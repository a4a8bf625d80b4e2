import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeBudgetSeconds, readNodeRoot } from '../../../src/audit/sources/node/index.ts';
import { RootFs } from '../../../src/host/rootfs.ts';

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function root(files: Record<string, string | { symlink: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-noderoot-'));
  roots.push(dir);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    if (typeof c === 'string') writeFileSync(join(dir, p), c);
    else symlinkSync(c.symlink, join(dir, p));
  }
  return dir;
}

describe('readNodeRoot on the bundled example node', async () => {
  const EXAMPLE = 'examples/audit/node-root';
  const { facts, errors, filesScanned } = await readNodeRoot(EXAMPLE);

  it('reads every file with no errors', () => {
    assert.deepEqual(errors, []);
    assert.ok(filesScanned >= 10);
    // Each regular file exactly once (/etc/resolv.conf is a link to the stub): none left out, none read twice.
    const files = readdirSync(EXAMPLE, { recursive: true, encoding: 'utf8' }).filter((p) =>
      lstatSync(join(EXAMPLE, p)).isFile(),
    );
    assert.equal(filesScanned, files.length);
  });

  it('follows /etc/resolv.conf → stub-resolv.conf inside the root', () => {
    const etc = facts.resolvConfs!.find((r) => r.path === '/etc/resolv.conf')!;
    assert.equal(etc.target, '/run/systemd/resolve/stub-resolv.conf');
    assert.deepEqual(
      etc.nameservers.map((n) => n.value),
      ['127.0.0.53'],
    );
    assert.deepEqual(etc.nameservers[0]!.location, { file: '/etc/resolv.conf', line: 21 });
  });

  it('merges resolved.conf and the seed drop-in', () => {
    assert.deepEqual(facts.resolved!.dns, {
      value: ['172.16.0.1'],
      location: { file: '/etc/systemd/resolved.conf.d/fallback.conf', line: 3 },
    });
    assert.deepEqual(facts.resolved!.fallbackDns!.value, ['8.8.8.8', '1.1.1.1']);
    assert.deepEqual(facts.resolved!.files, [
      '/etc/systemd/resolved.conf',
      '/etc/systemd/resolved.conf.d/fallback.conf',
    ]);
  });

  it('reads watchdog.conf, sysctls, fstab and mountinfo with lines', () => {
    assert.deepEqual(facts.watchdog!.device, {
      value: '/dev/watchdog',
      location: { file: '/etc/watchdog.conf', line: 2 },
    });
    assert.equal(facts.watchdog!.timeout!.value, 120);
    assert.equal(facts.sysctls!['kernel.hung_task_timeout_secs']!.value, '120');
    assert.equal(facts.sysctls!['kernel.hung_task_timeout_secs']!.source, 'proc');
    assert.equal(facts.fstab!.length, 3);
    const nfs = facts.mounts!.find((m) => m.fsType === 'nfs4')!;
    assert.equal(nfs.location.line, 7);
    assert.match(nfs.superOptions, /hard/);
    assert.equal(nodeBudgetSeconds(facts), 120);
  });
});

describe('node readers: edge cases', () => {
  it('an absolute symlink resolves under the root, never on this machine', async () => {
    const r = root({
      '/etc/resolv.conf': { symlink: '/run/systemd/resolve/resolv.conf' },
      '/run/systemd/resolve/resolv.conf': 'nameserver 192.0.2.53\n',
    });
    const { facts } = await readNodeRoot(r);
    const etc = facts.resolvConfs!.find((x) => x.path === '/etc/resolv.conf')!;
    assert.deepEqual(
      etc.nameservers.map((n) => n.value),
      ['192.0.2.53'],
    );
  });

  it('a DIRECTORY symlink to an absolute path stays inside the root, like a chroot (issue 9 escape)', async () => {
    // <root>/etc → /etc: before, lstat(<root>/etc/fstab) followed the link to this machine's /etc.
    const r = root({
      '/etc': { symlink: '/node-etc' },
      '/node-etc/fstab': 'inside:/x /mnt/x nfs soft 0 0\n',
      '/proc': { symlink: '/../../../../proc' },
    });
    const { facts, errors } = await readNodeRoot(r);
    assert.deepEqual(
      facts.fstab!.map((e) => e.spec),
      ['inside:/x'],
    );
    // /proc → "/../../../../proc" is <root>/proc again (`..` stops at the root): a loop, never the host's /proc.
    assert.equal(facts.mounts, undefined);
    assert.ok(errors.length > 0);
    for (const e of errors) {
      assert.match(e.file, /^\/proc\//);
      assert.match(e.message, /symlink loop/);
    }
    const fs = new RootFs(r);
    assert.deepEqual(await fs.resolve('/etc/../../../etc/fstab'), { path: '/node-etc/fstab', links: 1 });
  });

  it('a symlink loop in the node tree is an error, and the rest is read', async () => {
    const r = root({
      '/etc/resolv.conf': { symlink: '/etc/resolv.conf' },
      '/etc/fstab': 'a:/b /c nfs soft 0 0\n',
    });
    const { facts, errors } = await readNodeRoot(r);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.file, '/etc/resolv.conf');
    assert.match(errors[0]!.message, /symlink loop/);
    assert.equal(facts.fstab!.length, 1);
  });

  it('fstab: comments, \\040 escapes, missing options field', async () => {
    const r = root({ '/etc/fstab': '# c\n\nnas:/My\\040Share /mnt/my\\040share nfs4\nbad-line\n' });
    const { facts, errors } = await readNodeRoot(r);
    assert.deepEqual(facts.fstab, [
      {
        spec: 'nas:/My Share',
        mountPoint: '/mnt/my share',
        fsType: 'nfs4',
        options: 'defaults',
        location: { file: '/etc/fstab', line: 3 },
      },
    ]);
    assert.deepEqual(errors, [
      { file: '/etc/fstab', line: 4, message: 'fstab line needs at least spec, mount point and type' },
    ]);
  });

  it('nfsmount.conf: every section with its scope, then nfsmount.conf.d drop-ins by name', async () => {
    const r = root({
      '/etc/nfsmount.conf':
        '[ NFSMount_Global_Options ]\nDefaultvers=4\nSoft=True\n# Hard=True\nTimeo=100\n[ Server "nas" ]\nAc=False\n',
      '/etc/nfsmount.conf.d/10-hard.conf': '[ NFSMount_Global_Options ]\nHard=True\n',
    });
    const { facts } = await readNodeRoot(r);
    assert.deepEqual(
      facts.nfsmountConf!.map((d) => [d.option, d.scope.kind, d.location.file, d.location.line]),
      [
        ['vers=4', 'global', '/etc/nfsmount.conf', 2],
        ['soft', 'global', '/etc/nfsmount.conf', 3],
        ['timeo=100', 'global', '/etc/nfsmount.conf', 5],
        ['noac', 'server', '/etc/nfsmount.conf', 7],
        ['hard', 'global', '/etc/nfsmount.conf.d/10-hard.conf', 2],
      ],
    );
  });

  it('sysctl: drop-ins in name order across directories, /etc masks /usr/lib, sysctl.conf last, /proc wins', async () => {
    const r = root({
      '/usr/lib/sysctl.d/50-default.conf': 'kernel.panic = 0\nkernel.hung_task_panic = 0\n',
      '/etc/sysctl.d/50-default.conf': 'kernel.hung_task_panic = 1\n',
      '/etc/sysctl.d/60-panic.conf': 'kernel.panic = 5\n',
      '/etc/sysctl.conf': 'kernel.panic = 20\n',
      '/proc/sys/kernel/hung_task_timeout_secs': '240\n',
    });
    const { facts } = await readNodeRoot(r);
    const s = facts.sysctls!;
    assert.deepEqual(
      [s['kernel.hung_task_panic']!.value, s['kernel.hung_task_panic']!.location.file],
      ['1', '/etc/sysctl.d/50-default.conf'],
    );
    assert.deepEqual(
      [s['kernel.panic']!.value, s['kernel.panic']!.location.file],
      ['20', '/etc/sysctl.conf'],
    );
    assert.equal(nodeBudgetSeconds(facts), 240);
  });

  it('budget: the smaller of hung_task_timeout_secs and an active watchdog-timeout; unknown when neither', async () => {
    const r = root({
      '/proc/sys/kernel/hung_task_timeout_secs': '120\n',
      '/etc/watchdog.conf': 'watchdog-device = /dev/watchdog\nwatchdog-timeout = 60\n',
    });
    assert.equal(nodeBudgetSeconds((await readNodeRoot(r)).facts), 60);
    assert.equal(nodeBudgetSeconds((await readNodeRoot(root({}))).facts), undefined);
  });

  it('kubelet config: resolvConf with its line; a broken file is an error', async () => {
    const ok = root({
      '/var/lib/kubelet/config.yaml':
        'kind: KubeletConfiguration\nresolvConf: /run/systemd/resolve/resolv.conf\n',
    });
    const k = (await readNodeRoot(ok)).facts.kubelet!;
    assert.deepEqual(k.resolvConf, {
      value: '/run/systemd/resolve/resolv.conf',
      location: { file: '/var/lib/kubelet/config.yaml', line: 2 },
    });
    const bad = root({ '/var/lib/kubelet/config.yaml': 'kind: [\n' });
    const r = await readNodeRoot(bad);
    assert.equal(r.facts.kubelet, undefined);
    assert.equal(r.errors[0]!.file, '/var/lib/kubelet/config.yaml');
  });
});
