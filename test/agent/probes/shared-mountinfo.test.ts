import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dstateConfigSchema, dstateProbe } from '../../../src/agent/probes/dstate.ts';
import { mountsConfigSchema, mountsProbe } from '../../../src/agent/probes/mounts.ts';
import { nfsConfigSchema, nfsProbe } from '../../../src/agent/probes/nfs.ts';
import { MountInfoCache } from '../../../src/host/mountinfo.ts';
import { fixtureTree, testEnv } from './env.ts';

// One NFS mount from a loopback "server" on a closed port: the nfs probe's call is refused at once.
const mountinfo = [
  '22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
  '1034 22 0:112 / /mnt/nas rw,relatime shared:570 - nfs4 127.0.0.1:/export rw,vers=4.1,hard,proto=tcp,port=9,timeo=600,retrans=2,sec=sys,addr=127.0.0.1',
].join('\n');

// Issue 10 §4: the dstate, mounts and nfs probes each read and parsed mountinfo every round.
describe('one mountinfo read per round, shared by the probes', () => {
  it('three probes started by one tick read the table once; the next round reads it again', async () => {
    const root = fixtureTree({ 'proc/self/mountinfo': mountinfo, 'proc/pressure/io': '' });
    let t = 0;
    const mounts = new MountInfoCache(join(root, 'proc'), 1000, () => t);
    const env = { ...testEnv({ proc: join(root, 'proc'), kmsg: join(root, 'kmsg') }), mounts };
    const probes = [
      dstateProbe.create(dstateConfigSchema.parse({ kmsg: false, pressure: false, mountstats: false }), env),
      // Every mount excluded: the table is read, nothing is stat'ed.
      mountsProbe.create(mountsConfigSchema.parse({ exclude: ['/'] }), env),
      nfsProbe.create(nfsConfigSchema.parse({}), env),
    ];
    try {
      await Promise.all(probes.map((p) => p.run(AbortSignal.timeout(10_000))));
      assert.equal(mounts.reads, 1);
      t = 5000;
      await Promise.all(probes.map((p) => p.run(AbortSignal.timeout(10_000))));
      assert.equal(mounts.reads, 2);
    } finally {
      for (const p of probes) await p.close?.();
    }
  });

  it('does not keep a failed read', async () => {
    const mounts = new MountInfoCache('/nonexistent-fl-agentcore', 60_000);
    await assert.rejects(mounts.read('self'), /not found/);
    await assert.rejects(mounts.read('self'), /not found/);
    assert.equal(mounts.reads, 2);
  });
});
