import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  containingMount,
  mountsConfigSchema,
  mountsProbe,
  selectMounts,
} from '../../../src/agent/probes/mounts.ts';
import { parseMountInfo } from '../../../src/host/mountinfo.ts';
import { type FrozenMount, startFrozenMount } from '../../helpers/bindfs.ts';
import { procStat } from '../../helpers/proc.ts';
import { fixtureTree, sample, testEnv } from './env.ts';

/** Our sandbox children: `sh` (coreutils runner) or `node` processes whose parent is this test process. */
const RUNNERS = new Set(['sh', 'node']);
function sandboxChildren(): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const stat = procStat(pid);
    if (stat && Number(stat.fields[1]) === process.pid && RUNNERS.has(stat.comm)) n++;
  }
  return n;
}

const ROOT_LINE = '22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw';

describe('selectMounts', () => {
  it('keeps network and FUSE mounts, one per superblock, honours exclude', () => {
    const { entries } = parseMountInfo(
      [
        ROOT_LINE,
        '1034 29 0:112 / /var/lib/kubelet/plugins/kubernetes.io/csi/nfs.csi.k8s.io/abc/globalmount rw,relatime shared:570 - nfs4 10.0.0.5:/k8s/pvc-1 rw,vers=4.1,hard,proto=tcp,timeo=600,retrans=2,addr=10.0.0.5',
        '1040 29 0:112 / /var/lib/kubelet/pods/3f1c/volumes/kubernetes.io~csi/pvc-1/mount rw,relatime shared:570 - nfs4 10.0.0.5:/k8s/pvc-1 rw,vers=4.1,hard,proto=tcp,timeo=600,retrans=2,addr=10.0.0.5',
        '1100 22 0:120 / /mnt/fuse rw,nosuid,nodev,relatime shared:600 - fuse.bindfs bindfs rw,user_id=0,group_id=0',
        '1101 22 0:121 / /skip/me rw,relatime - nfs 10.0.0.6:/x rw,vers=3,addr=10.0.0.6',
        '30 22 0:26 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw',
      ].join('\n'),
    );
    const cfg = mountsConfigSchema.parse({ exclude: ['/skip'], hostRoot: '/host' });
    const t = selectMounts(entries, cfg);
    assert.deepEqual(
      t.map((x) => [x.path, x.probePath, x.fstype, x.alsoAt.length]),
      [
        [
          '/var/lib/kubelet/plugins/kubernetes.io/csi/nfs.csi.k8s.io/abc/globalmount',
          '/host/var/lib/kubelet/plugins/kubernetes.io/csi/nfs.csi.k8s.io/abc/globalmount',
          'nfs4',
          1,
        ],
        ['/mnt/fuse', '/host/mnt/fuse', 'fuse.bindfs', 0],
      ],
    );
  });

  it('finds the mount a configured path lives on from the table alone', () => {
    const { entries } = parseMountInfo(
      [
        ROOT_LINE,
        '1100 22 0:120 / /mnt/fuse rw,nosuid,nodev,relatime shared:600 - fuse.bindfs bindfs rw,user_id=0,group_id=0',
        '1101 22 0:121 / /mnt/fuse2 rw,relatime - nfs4 10.0.0.6:/x rw,vers=4.1,addr=10.0.0.6',
      ].join('\n'),
    );
    assert.equal(containingMount(entries, '/mnt/fuse/data/x')?.fsType, 'fuse.bindfs');
    assert.equal(containingMount(entries, '/mnt/fuse2')?.fsType, 'nfs4');
    assert.equal(containingMount(entries, '/mnt/fuse3')?.fsType, 'ext4');
  });

  it('rejects unknown keys and relative paths', () => {
    assert.equal(mountsConfigSchema.safeParse({ path: ['/x'] }).success, false);
    assert.equal(mountsConfigSchema.safeParse({ paths: ['relative'] }).success, false);
  });
});

describe('mounts probe against a frozen bindfs mount', () => {
  let m: FrozenMount | undefined;
  const closers: (() => void)[] = [];
  after(async () => {
    for (const c of closers) c();
    await m?.stop();
  });

  it('reports hung from a child, never blocks the agent, keeps one child per mount, recovers on thaw', async () => {
    m = await startFrozenMount();
    const line = (await readFile('/proc/self/mountinfo', 'utf8'))
      .split('\n')
      .find((l) => l.split(' ')[4] === m!.mountpoint)!;
    const proc = join(fixtureTree({ 'proc/self/mountinfo': `${ROOT_LINE}\n${line}\n` }), 'proc');
    const env = testEnv({ proc });
    const probe = mountsProbe.create(mountsConfigSchema.parse({}), env);
    closers.push(() => probe.close?.());
    const check = `mount:${m.mountpoint}`;

    const r0 = await probe.run(AbortSignal.timeout(5000));
    assert.equal(r0.ok, true);
    assert.deepEqual(
      r0.targets.map((t) => [t.check, t.reason]),
      [[check, 'ok']],
    );
    assert.equal(r0.targets[0]!.details?.fstype, 'fuse.bindfs');
    assert.equal(r0.targets[0]!.details?.fsMagic, '0x65735546'); // FUSE_SUPER_MAGIC: the child reached the mount
    assert.equal(
      sample(await env.metrics(), 'faultline_mount_responsive', {
        mountpoint: m.mountpoint,
        fstype: 'fuse.bindfs',
      }),
      1,
    );

    m.freeze();
    for (let round = 0; round < 6; round++) {
      // The agent's own fs calls keep working while the mount is hung: more of them than libuv has threads.
      const own = Promise.all(Array.from({ length: 8 }, () => readFile('/etc/hostname', 'utf8')));
      // The first round spawns the child (node start-up is not the mount's time); later rounds re-check it.
      const r = await probe.run(AbortSignal.timeout(round === 0 ? 2000 : 300));
      assert.equal((await own).length, 8);
      const t = r.targets[0]!;
      assert.equal(t.reason, 'hung', `round ${round}: ${t.message}`);
      assert.equal(t.severity, 'failed');
      assert.equal(t.details?.stuck, 1);
      assert.equal(sandboxChildren(), 1, 'one probe child in flight per mount, however many rounds');
    }
    const metrics = await env.metrics();
    assert.equal(sample(metrics, 'faultline_mount_probe_stuck', { mountpoint: m.mountpoint }), 1);
    assert.equal(
      sample(metrics, 'faultline_mount_responsive', { mountpoint: m.mountpoint, fstype: 'fuse.bindfs' }),
      0,
    );

    m.thaw();
    // The first round after the thaw may collect the child that was stuck during the freeze: it answers,
    // timed from its start, so 'slow' is right for it. The next round spawns a fresh child and must be ok.
    const r1 = await probe.run(AbortSignal.timeout(5000));
    assert.ok(['ok', 'slow'].includes(r1.targets[0]!.reason), r1.targets[0]!.message);
    const r2 = r1.targets[0]!.reason === 'ok' ? r1 : await probe.run(AbortSignal.timeout(5000));
    assert.equal(r2.targets[0]!.reason, 'ok', r2.targets[0]!.message);
    assert.equal(sample(await env.metrics(), 'faultline_mount_probe_stuck', { mountpoint: m.mountpoint }), 0);
  });

  it('caps the number of children out at once over all paths', async () => {
    m ??= await startFrozenMount();
    const env = testEnv({ proc: join(fixtureTree({ 'proc/self/mountinfo': `${ROOT_LINE}\n` }), 'proc') });
    const paths = ['a', 'b', 'c'].map((n) => join(m!.mountpoint, n));
    const probe = mountsProbe.create(mountsConfigSchema.parse({ paths, maxChildren: 2 }), env);
    closers.push(() => probe.close?.());
    m.freeze();
    const first = await probe.run(AbortSignal.timeout(2000));
    assert.deepEqual(
      first.targets.map((t) => t.reason),
      ['hung', 'hung', 'not_probed'],
    );
    assert.equal(first.targets[2]!.severity, 'degraded');
    // Still two out: the stuck ones keep reporting hung, the third is still not probed.
    const second = await probe.run(AbortSignal.timeout(300));
    assert.deepEqual(
      second.targets.map((t) => t.reason),
      ['hung', 'hung', 'not_probed'],
    );
    assert.equal(sandboxChildren(), 2);
    probe.close?.();
    m.thaw();
  });
});
