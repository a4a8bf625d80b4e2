import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHangProneType, parseMountInfo, splitNfsSource } from '../../src/host/mountinfo.ts';

// Lines in the shape the kernel writes (proc(5)); the NFS one as a k3s node with csi-driver-nfs shows it.
const SAMPLE = [
  '22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
  '1034 29 0:112 / /var/lib/kubelet/pods/3f1c/volumes/kubernetes.io~csi/pvc-1a2b/mount rw,relatime shared:570 - nfs4 truenas.home.lex.la:/mnt/pool/k8s/pvc-1a2b rw,vers=4.1,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=172.16.0.10,local_lock=none,addr=172.16.0.5',
  'garbage line',
  '1100 22 0:120 / /mnt/with\\040space rw,nosuid,nodev,relatime shared:600 - fuse.bindfs bindfs rw,user_id=0,group_id=0',
].join('\n');

describe('parseMountInfo', () => {
  it('parses fields, unescapes paths and reports bad lines by number', () => {
    const r = parseMountInfo(SAMPLE);
    assert.equal(r.entries.length, 3);
    const nfs = r.entries[1]!;
    assert.equal(nfs.fsType, 'nfs4');
    assert.equal(nfs.line, 2);
    assert.match(nfs.superOptions, /hard,proto=tcp,timeo=600,retrans=2/);
    assert.deepEqual(splitNfsSource(nfs.source), {
      server: 'truenas.home.lex.la',
      export: '/mnt/pool/k8s/pvc-1a2b',
    });
    assert.equal(r.entries[2]!.mountPoint, '/mnt/with space');
    assert.deepEqual(r.errors, [
      { line: 3, message: 'not a mountinfo line (expected "... - fstype source superoptions")' },
    ]);
  });

  it('classifies hang-prone filesystems', () => {
    assert.ok(isHangProneType('nfs4'));
    assert.ok(isHangProneType('fuse.bindfs'));
    assert.ok(!isHangProneType('ext4'));
    assert.deepEqual(splitNfsSource('[fd00::5]:/export'), { server: 'fd00::5', export: '/export' });
  });

  it('splits NFS mount sources, including bracketed IPv6 and an empty export', () => {
    assert.deepEqual(splitNfsSource('truenas.home.lex.la:/mnt/pool/k8s'), {
      server: 'truenas.home.lex.la',
      export: '/mnt/pool/k8s',
    });
    assert.deepEqual(splitNfsSource('[fd00::5]:/k8s'), { server: 'fd00::5', export: '/k8s' });
    assert.deepEqual(splitNfsSource('10.0.0.5:'), { server: '10.0.0.5', export: '/' });
    assert.equal(splitNfsSource('/dev/sda1'), undefined);
  });
});
