import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNfsProvisioner, mountSites, podVolumeOf } from '../../../src/audit/analysis/mount-sites.ts';
import { Inventory } from '../../../src/audit/inventory.ts';
import { parseManifests } from '../../../src/audit/sources/yaml.ts';
import { parseMountInfo } from '../../../src/host/mountinfo.ts';
import { parseNfsMountConf } from '../../../src/nfs/nfsmount-conf.ts';

const YAML = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: nfs-csi}
provisioner: nfs.csi.k8s.io
parameters: {server: 10.0.0.5, share: /k8s}
mountOptions:
  - nfsvers=4.1
  - soft,timeo=100
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: block}
provisioner: ebs.csi.aws.com
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: longhorn-default}
provisioner: driver.longhorn.io
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: intree}
spec:
  nfs: {server: nas.lan, path: /media}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: csi}
spec:
  mountOptions: [nfsvers=4.1]
  csi:
    driver: nfs.csi.k8s.io
    volumeHandle: h
    volumeAttributes: {server: 10.0.0.5, share: /k8s, mountOptions: "softerr,timeo=50"}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: local}
spec:
  local: {path: /mnt/disk}
`;

describe('mountSites', () => {
  const node = {
    root: '/fixture',
    fstab: [
      {
        spec: 'nas.lan:/backup',
        mountPoint: '/mnt/backup',
        fsType: 'nfs',
        options: 'defaults',
        location: { file: '/etc/fstab', line: 3 },
      },
      {
        spec: 'UUID=1',
        mountPoint: '/',
        fsType: 'ext4',
        options: 'defaults',
        location: { file: '/etc/fstab', line: 1 },
      },
    ],
    mounts: parseMountInfo(
      '601 30 0:61 / /var/lib/kubelet/pods/1a2b/volumes/kubernetes.io~csi/pvc-9/mount rw,relatime - nfs4 [fd00::5]:/k8s/pvc-9 rw,vers=4.2,hard,proto=tcp6,timeo=600,retrans=2\n',
    ).entries.map((e) => ({ ...e, location: { file: '/proc/self/mountinfo', line: e.line } })),
    nfsmountConf: parseNfsMountConf('[ NFSMount_Global_Options ]\n\n\nSoft=True\n', '/etc/nfsmount.conf')
      .options,
  };
  const inv = new Inventory(parseManifests(YAML, 'm.yaml').objects, node);
  const sites = mountSites(inv);
  const byLabel = (l: string) => sites.find((s) => s.label.startsWith(l))!;

  it('finds only NFS sites (no block classes, no Longhorn class without nfsOptions, no local PVs)', () => {
    assert.deepEqual(
      sites.map((s) => `${s.origin}:${s.label.split(' (')[0]}`),
      [
        'StorageClass:StorageClass nfs-csi',
        'PersistentVolume:PersistentVolume intree',
        'PersistentVolume:PersistentVolume csi',
        'fstab:/etc/fstab /mnt/backup',
        'mountinfo:mount [fd00::5]:/k8s/pvc-9 on /var/lib/kubelet/pods/1a2b/volumes/kubernetes.io~csi/pvc-9/mount',
      ],
    );
  });

  it('splits comma lists inside YAML items and keeps each item line', () => {
    const s = byLabel('StorageClass nfs-csi');
    assert.equal(s.options.recovery, 'soft');
    assert.equal(s.errorAfterSeconds, 30);
    assert.deepEqual(
      s.written.map((w) => [w.text, w.location.line]),
      [
        ['nfsvers=4.1', 7],
        ['soft,timeo=100', 8],
      ],
    );
    assert.equal(s.serverLocation?.line, 5);
  });

  it('applies nfsmount.conf to host-mounted sites only (in-tree PV, fstab), not to the CSI driver', () => {
    assert.equal(byLabel('PersistentVolume intree').options.recovery, 'soft');
    assert.equal(byLabel('/etc/fstab').options.recovery, 'soft');
    assert.equal(byLabel('PersistentVolume csi').confDefaults.length, 0);
  });

  it('appends csi volumeAttributes.mountOptions after spec.mountOptions', () => {
    const s = byLabel('PersistentVolume csi');
    assert.equal(s.options.recovery, 'softerr');
    assert.equal(s.errorAfterSeconds, 15);
    assert.equal(s.options.version, '4.1');
  });

  it('reads live mounts: IPv6 server, tcp6, the PV named in the kubelet path', () => {
    const s = sites.find((x) => x.origin === 'mountinfo')!;
    assert.equal(s.server, 'fd00::5');
    assert.equal(s.exportPath, '/k8s/pvc-9');
    assert.equal(s.options.transport, 'tcp');
    assert.equal(s.errorAfterSeconds, null);
    assert.match(s.label, /PersistentVolume pvc-9/);
    assert.deepEqual(s.podVolume, { pod: '1a2b', plugin: 'csi', volume: 'pvc-9' });
  });

  it('splits kubelet pod volume paths, and nothing else', () => {
    assert.deepEqual(podVolumeOf('/var/lib/kubelet/pods/0e2a/volumes/kubernetes.io~nfs/media/mount'), {
      pod: '0e2a',
      plugin: 'nfs',
      volume: 'media',
    });
    assert.equal(podVolumeOf('/mnt/media'), undefined);
    assert.equal(podVolumeOf('/var/lib/kubelet/pods/0e2a/volumes/kubernetes.io~empty-dir/x'), undefined);
  });

  it('recognises NFS provisioners by name segment', () => {
    for (const p of [
      'nfs.csi.k8s.io',
      'k8s-sigs.io/nfs-subdir-external-provisioner',
      'cluster.local/nfs-client-provisioner',
      'example.com/nfs',
    ])
      assert.ok(isNfsProvisioner(p), p);
    for (const p of ['ebs.csi.aws.com', 'rancher.io/local-path', 'confs.example/io', 'driver.longhorn.io'])
      assert.ok(!isNfsProvisioner(p), p);
  });
});
