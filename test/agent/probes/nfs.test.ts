import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nfsConfigSchema, nfsProbe, parseServer, serversFromMounts } from '../../../src/agent/probes/nfs.ts';
import { parseMountInfo } from '../../../src/host/mountinfo.ts';
import { suiteGanesha } from '../../helpers/ganesha.ts';
import { freePort } from '../../helpers/ports.ts';
import { fixtureTree, sample, testEnv } from './env.ts';

// Shapes as the kernel prints them (fs/nfs/super.c nfs_show_mount_options): v4.1 via csi-driver-nfs,
// a v3 mount with mountd options and a non-default port, and an IPv6 server.
const ROOT = '22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw';
const V41 =
  '1034 29 0:112 / /var/lib/kubelet/pods/3f1c/volumes/kubernetes.io~csi/pvc-1a2b/mount rw,relatime shared:570 - nfs4 truenas.home.lex.la:/mnt/pool/k8s/pvc-1a2b rw,vers=4.1,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=172.16.0.10,local_lock=none,addr=172.16.0.5';
const V3 =
  '1201 22 0:130 / /mnt/backup rw,relatime shared:640 - nfs 10.0.0.7:/srv/backup rw,vers=3,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,port=20490,timeo=600,retrans=2,sec=sys,mountaddr=10.0.0.7,mountvers=3,mountport=20048,mountproto=udp,local_lock=none,addr=10.0.0.7';
const V6 =
  '1202 22 0:131 / /mnt/v6 rw,relatime - nfs4 [fd00::5]:/export rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp6,timeo=600,retrans=2,sec=sys,clientaddr=fd00::10,local_lock=none,addr=fd00::5';

describe('nfs probe: parsing', () => {
  it('parses configured server strings', () => {
    assert.deepEqual(parseServer('10.0.0.5'), { host: '10.0.0.5', port: 2049 });
    assert.deepEqual(parseServer('nfs.example.com:20490'), { host: 'nfs.example.com', port: 20490 });
    assert.deepEqual(parseServer('[fd00::5]:2049'), { host: 'fd00::5', port: 2049 });
    assert.deepEqual(parseServer('fd00::5'), { host: 'fd00::5', port: 2049 });
    assert.equal(parseServer('host:99999'), undefined);
    assert.equal(parseServer('a b'), undefined);
    assert.equal(nfsConfigSchema.safeParse({ servers: ['host:99999'] }).success, false);
    assert.equal(nfsConfigSchema.safeParse({ server: [] }).success, false);
  });

  it('finds servers in mountinfo from addr=, port= and vers=', () => {
    const s = serversFromMounts(parseMountInfo([ROOT, V41, V3, V6].join('\n')).entries);
    assert.deepEqual(
      s.map((x) => [x.host, x.port, x.versions, x.mounts.length]),
      [
        ['172.16.0.5', 2049, [4], 1],
        ['10.0.0.7', 20490, [3], 1],
        ['fd00::5', 2049, [4], 1],
      ],
    );
  });
});

describe('nfs probe against real nfs-ganesha', () => {
  const ganesha = suiteGanesha();

  it('is up for a discovered mount, says rpc_timeout when paused, recovers, and says refused for a closed port', async () => {
    const g = ganesha();
    // No kernel NFS client here: the mount line is a fixture pointing at the real server.
    const line = `1300 22 0:140 / /mnt/ganesha rw,relatime - nfs4 127.0.0.1:/export rw,vers=4.1,hard,proto=tcp,port=${g.port},timeo=600,retrans=2,sec=sys,clientaddr=127.0.0.1,local_lock=none,addr=127.0.0.1`;
    const proc = join(fixtureTree({ 'proc/self/mountinfo': `${ROOT}\n${line}\n` }), 'proc');
    const closed = await freePort();
    const env = testEnv({ proc });
    const probe = nfsProbe.create(nfsConfigSchema.parse({ servers: [`127.0.0.1:${closed}`] }), env);
    const key = `127.0.0.1:${g.port}`;

    const r1 = await probe.run(AbortSignal.timeout(3000));
    assert.equal(r1.ok, true);
    const byCheck = (r: typeof r1) => Object.fromEntries(r.targets.map((t) => [t.check, t]));
    const t1 = byCheck(r1);
    assert.equal(t1[`nfs-server:${key}`]?.reason, 'ok', t1[`nfs-server:${key}`]?.message);
    assert.deepEqual(t1[`nfs-server:${key}`]?.details?.mounts, ['/mnt/ganesha']);
    assert.equal(t1[`nfs-server:127.0.0.1:${closed}`]?.reason, 'refused');
    let m = await env.metrics();
    assert.equal(sample(m, 'faultline_nfs_server_up', { server: key }), 1);
    assert.ok((sample(m, 'faultline_nfs_rpc_null_duration_seconds', { server: key }) ?? -1) >= 0);
    assert.equal(sample(m, 'faultline_nfs_server_up', { server: `127.0.0.1:${closed}` }), 0);
    assert.equal(
      sample(m, 'faultline_nfs_server_failure_reason', { server: `127.0.0.1:${closed}`, reason: 'refused' }),
      1,
    );

    g.pause();
    try {
      const r2 = await probe.run(AbortSignal.timeout(500));
      const t2 = byCheck(r2)[`nfs-server:${key}`]!;
      assert.equal(t2.ok, false);
      assert.equal(t2.reason, 'rpc_timeout');
      assert.match(t2.message, /accepts TCP but does not answer RPC/);
      m = await env.metrics();
      assert.equal(sample(m, 'faultline_nfs_server_up', { server: key }), 0);
      assert.equal(
        sample(m, 'faultline_nfs_server_failure_reason', { server: key, reason: 'rpc_timeout' }),
        1,
      );
      assert.equal(sample(m, 'faultline_nfs_server_failure_reason', { server: key, reason: 'refused' }), 0);
      assert.equal(sample(m, 'faultline_nfs_rpc_null_duration_seconds', { server: key }), undefined);
    } finally {
      g.resume();
    }
    const r3 = await probe.run(AbortSignal.timeout(3000));
    assert.equal(byCheck(r3)[`nfs-server:${key}`]?.reason, 'ok');
  });

  it('calls v3 and v4 on a configured server and checks the portmapper and mountd when asked', async () => {
    const g = ganesha();
    const env = testEnv({ proc: join(fixtureTree({ 'proc/self/mountinfo': `${ROOT}\n` }), 'proc') });
    const probe = nfsProbe.create(
      nfsConfigSchema.parse({ servers: [`127.0.0.1:${g.port}`], portmapper: true, mountd: true }),
      env,
    );
    const r = await probe.run(AbortSignal.timeout(3000));
    const t = r.targets[0]!;
    assert.equal(t.ok, true, t.message);
    assert.deepEqual(Object.keys(t.details?.perVersion as object), ['v3', 'v4']);
    const pm = t.details?.portmapper as { ok: boolean; nfsPort: number } | undefined;
    assert.ok(pm);
    assert.equal(pm.ok, true);
    assert.ok(pm.nfsPort > 0);
    // Other ganesha instances may hold the portmapper registration; whichever it is must answer NULL.
    const md = t.details?.mountd as { ok: boolean; port: number } | undefined;
    assert.ok(md);
    assert.equal(md.ok, true);
    assert.ok(md.port > 0);
  });
});
