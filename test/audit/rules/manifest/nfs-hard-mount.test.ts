import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-hard-mount.ts';
import { annotatedMediaPv, podWithVolume, storageClass, workload, yamlStream } from '../../k8s-yaml.ts';
import { ruleTable, run, SEED, seed } from './harness.ts';

const LIVE_HARD =
  '512 30 0:58 / /var/lib/kubelet/pods/0e2a/volumes/kubernetes.io~csi/pvc-6f1c/mount rw,relatime shared:260 - nfs4 truenas.home.lex.la:/mnt/pool/k8s/pvc-6f1c rw,vers=4.1,rsize=131072,wsize=131072,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=172.16.0.21,local_lock=none,addr=172.16.0.10\n';
const LIVE_SOFT = LIVE_HARD.replace(',hard,', ',softerr,').replace('timeo=600', 'timeo=100');
/** The PV behind LIVE_HARD, its class and the Deployment whose pod mounts it. */
const LIVE_PV_OBJECTS = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: truenas-nfs}
provisioner: nfs.csi.k8s.io
parameters: {server: truenas.home.lex.la, share: /mnt/pool/k8s}
mountOptions: [hard, nfsvers=4.1]
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pvc-6f1c
  annotations: {pv.kubernetes.io/provisioned-by: nfs.csi.k8s.io}
spec:
  storageClassName: truenas-nfs
  mountOptions: [hard, nfsvers=4.1]
  claimRef: {namespace: media, name: library}
  csi:
    driver: nfs.csi.k8s.io
    volumeHandle: truenas.home.lex.la#mnt/pool/k8s#pvc-6f1c##
    volumeAttributes: {server: truenas.home.lex.la, share: /mnt/pool/k8s/pvc-6f1c}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: library, namespace: media}
spec:
  storageClassName: truenas-nfs
  volumeName: pvc-6f1c
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 1Ti}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: jellyfin, namespace: media}
spec:
  template:
    spec:
      containers: [{name: c, image: jellyfin/jellyfin, volumeMounts: [{name: lib, mountPath: /media}]}]
      volumes: [{name: lib, persistentVolumeClaim: {claimName: library}}]
`;

ruleTable(
  rule,
  {
    valid: [
      { name: "the case study's AFTER class (soft, timeo=100, retrans=2)", ...seed('truenas-sc-after.yaml') },
      {
        name: 'a non-NFS StorageClass',
        yaml: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: gp3}\nprovisioner: ebs.csi.aws.com\n',
      },
      {
        name: 'a softerr PV with the deprecated annotation overriding a hard spec list',
        yaml: annotatedMediaPv('softerr,timeo=100,retrans=2', 'hard'),
      },
      {
        name: 'Longhorn nfsOptions and inline volumes are left to their own rules',
        yaml: yamlStream(
          storageClass({
            name: 'longhorn-rwx',
            provisioner: 'driver.longhorn.io',
            parameters: ['nfsOptions: "vers=4.1,hard"'],
          }),
          podWithVolume({ name: 'p', image: 'busybox', volume: ['nfs: {server: 10.0.0.5, path: /x}'] }),
        ),
      },
      {
        name: 'fstab entry made soft by /etc/nfsmount.conf',
        fstab: '10.0.0.5:/media /mnt/media nfs defaults,nofail 0 0\n',
        nfsmountConf: ['Soft=True', 'Timeo=100'],
      },
      { name: 'a live softerr mount', mountinfo: LIVE_SOFT },
    ],
    invalid: [
      {
        name: "the case study's BEFORE class: critical at its `- hard` line, since it is the default class",
        ...seed('truenas-sc-before.yaml'),
        findings: [
          {
            severity: 'critical',
            file: `${SEED}/truenas-sc-before.yaml`,
            line: 15,
            name: 'truenas-nfs',
            message: ['errorAfterSeconds=never', 'every 180 s', 'default StorageClass'],
            fix: ['nfsvers=4.1,softerr,timeo=100,retrans=2', 'errors after 30 s'],
            evidence: { recovery: 'hard', errorAfterSeconds: null, majorTimeoutSeconds: 180 },
          },
        ],
      },
      {
        name: 'the PV provisioned from the BEFORE class keeps hard',
        ...seed('pv-six-days-later.yaml'),
        findings: [{ severity: 'high', line: 40, message: ['PersistentVolume pvc-6f1c2d3e'] }],
      },
      {
        name: 'implicit hard: options without soft/softerr, located at the options',
        yaml: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs
provisioner: nfs.csi.k8s.io
parameters: {server: 10.0.0.5, share: /k8s}
mountOptions:
  - nfsvers=4.1
`,
        findings: [{ severity: 'high', line: 8, message: ['implicit: no soft/softerr', 'never'] }],
      },
      {
        name: 'nfs-subdir provisioner class with no options at all: located at the object',
        yaml: `# nfs-subdir-external-provisioner chart output
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-client
provisioner: cluster.local/nfs-subdir-external-provisioner
allowVolumeExpansion: true
`,
        findings: [{ severity: 'high', line: 2, evidence: { optionsWritten: '(none)' } }],
      },
      {
        name: 'the deprecated annotation wins over spec.mountOptions, as kubelet reads it first',
        yaml: annotatedMediaPv('hard,nfsvers=3', 'soft'),
        findings: [{ severity: 'high', line: 6 }],
      },
      {
        name: 'CSI volumeAttributes.mountOptions on a static PV and a CSI inline volume',
        yaml: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: static
spec:
  csi:
    driver: nfs.csi.k8s.io
    volumeHandle: 10.0.0.5#k8s#static##
    volumeAttributes:
      server: 10.0.0.5
      share: /k8s
      mountOptions: "nfsvers=4.1,hard"
---
${workload({
  kind: 'Deployment',
  name: 'web',
  namespace: 'apps',
  flowMetadata: true,
  containers: '[{name: c, image: nginx}]',
  volumes: [
    '- name: data',
    '  csi:',
    '    driver: nfs.csi.k8s.io',
    '    volumeAttributes:',
    '      server: 10.0.0.5',
    '      share: /web',
    '      mountOptions: "nfsvers=4.1"',
  ],
})}`,
        findings: [
          { severity: 'high', line: 12, name: 'static' },
          { severity: 'high', line: 28, name: 'web', message: ['implicit'] },
        ],
      },
      {
        name: 'fstab hard entry, and one made hard by nfsmount.conf',
        fstab: `# /etc/fstab
UUID=2f1a / ext4 errors=remount-ro 0 1
10.0.0.5:/media /mnt/media nfs4 rw,hard,nofail 0 0
10.0.0.5:/backup /mnt/backup nfs defaults,nofail 0 0
`,
        nfsmountConf: ['Hard=True'],
        findings: [
          {
            severity: 'high',
            file: '/etc/fstab',
            line: 3,
            fix: [
              'In /etc/fstab /mnt/media, replace hard with softerr,timeo=100,retrans=2',
              'umount /mnt/media',
            ],
          },
          {
            severity: 'high',
            file: '/etc/nfsmount.conf',
            line: 2,
            message: ['/mnt/backup'],
            fix: ['In /etc/fstab /mnt/backup, add softerr,timeo=100,retrans=2 (errors after 30 s'],
          },
        ],
      },
      {
        name: 'a live hard mount from mountinfo',
        mountinfo: LIVE_HARD,
        findings: [
          {
            severity: 'high',
            file: '/proc/self/mountinfo',
            line: 1,
            evidence: { nfsVersion: '4.1' },
            fix: [
              'PersistentVolume pvc-6f1c (not in the scanned manifests)',
              'replace hard,timeo=600,retrans=2 with softerr,timeo=100,retrans=2',
              'recreate pod 0e2a',
            ],
          },
        ],
      },
      {
        name: 'a live hard mount whose PV, class and workload are in the scan',
        yaml: LIVE_PV_OBJECTS,
        mountinfo: LIVE_HARD,
        findings: [
          { severity: 'high', file: '/proc/self/mountinfo', line: 1, fix: ['StorageClass truenas-nfs'] },
          { severity: 'high', name: 'truenas-nfs' },
          { severity: 'high', name: 'pvc-6f1c' },
        ],
      },
      {
        name: 'a live hard mount that is not a pod volume',
        mountinfo: LIVE_HARD.replace(
          '/var/lib/kubelet/pods/0e2a/volumes/kubernetes.io~csi/pvc-6f1c/mount',
          '/mnt/media',
        ),
        findings: [
          { severity: 'high', line: 1, fix: ['Where this mount is defined', 'unmount and mount it again'] },
        ],
      },
    ],
  },
  examples,
);

describe('nfs-hard-mount fix for node mounts', () => {
  it("names only the recovery options, not the kernel's echo of every option", () => {
    const [live] = run(rule, { name: 'live', mountinfo: LIVE_HARD });
    assert.ok(live, 'the live hard mount is reported');
    for (const echoed of ['rsize=', 'clientaddr=', 'addr=172', 'local_lock', 'namlen', 'sec=sys'])
      assert.ok(!live.fix.includes(echoed), `fix repeats '${echoed}': ${live.fix}`);
    assert.ok(!live.fix.includes('Set the options to'), live.fix);
  });

  it('tells which PV and class to change, what to replace there, and which workload to recreate', () => {
    const live = run(rule, { name: 'live with PV', yaml: LIVE_PV_OBJECTS, mountinfo: LIVE_HARD }).find(
      (f) => f.location.file === '/proc/self/mountinfo',
    );
    assert.ok(live);
    // The PV writes hard only (timeo/retrans are defaults there): the swap names what the PV holds.
    assert.match(
      live.fix,
      /PersistentVolume pvc-6f1c: in its spec\.mountOptions \(kubectl patch pv pvc-6f1c/,
    );
    assert.match(live.fix, /StorageClass truenas-nfs's mountOptions/);
    assert.match(
      live.fix,
      /replace hard with softerr,timeo=100,retrans=2 \(errors after 30 s once the connection to the server breaks \(NFSv4: .*nfs-v4-soft-unbounded\), instead of never\)/,
    );
    assert.match(
      live.fix,
      /recreate pod 0e2a \(Deployment media\/jellyfin\) so kubelet mounts the volume again/,
    );
  });

  it("keeps an fstab entry's other options out of the fix", () => {
    const [f] = run(rule, {
      name: 'fstab',
      fstab: '10.0.0.5:/media /mnt/media nfs4 rw,hard,timeo=600,nofail,_netdev 0 0\n',
    });
    assert.ok(f);
    assert.match(f.fix, /replace hard,timeo=600 with softerr,timeo=100,retrans=2/);
    assert.ok(!/nofail|_netdev|nfsvers/.test(f.fix), f.fix);
  });
});

describe('nfs-hard-mount fix is version-aware (issue 9)', () => {
  const sc = (opts: string) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: nfs}
provisioner: nfs.csi.k8s.io
parameters: {server: 10.0.0.5, share: /k8s}
mountOptions: [${opts}]
`;
  it('NFSv3: a plain error time; NFSv4: only when the connection breaks; both warn about silent data loss', () => {
    const v3 = run(rule, { name: 'v3', yaml: sc('hard, nfsvers=3') })[0]!;
    assert.match(v3.fix, /\(errors after 30 s, instead of never\)/);
    const v4 = run(rule, { name: 'v4', yaml: sc('hard, nfsvers=4.1') })[0]!;
    assert.match(v4.fix, /errors after 30 s once the connection to the server breaks/);
    for (const f of [v3, v4]) assert.match(f.fix, /loses data silently .* write-heavy data/);
  });
});
