import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-server-hostname.ts';
import { podWithVolume } from '../../k8s-yaml.ts';
import { ruleTable, seed } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'IPv4 and IPv6 servers',
        yaml: `apiVersion: v1
kind: PersistentVolume
metadata: {name: a}
spec:
  nfs: {server: 172.16.0.10, path: /a}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: b}
spec:
  nfs: {server: "fd00::10", path: /b}
`,
        fstab: '[fd00::10]:/c /mnt/c nfs4 softerr,nofail 0 0\n',
      },
      {
        name: 'nfs-subdir provisioner class (server is in the provisioner, not the class)',
        yaml: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: c}\nprovisioner: k8s-sigs.io/nfs-subdir-external-provisioner\n',
      },
    ],
    invalid: [
      {
        name: "the case study's class: truenas.home.lex.la (medium, at parameters.server)",
        ...seed('truenas-sc-after.yaml'),
        findings: [
          {
            severity: 'medium',
            line: 10,
            message: ['truenas.home.lex.la'],
            evidence: { serverKind: 'hostname' },
          },
        ],
      },
      {
        name: 'a cluster DNS name (high), in a PV and a CSI inline volume',
        yaml: `apiVersion: v1
kind: PersistentVolume
metadata: {name: in-cluster}
spec:
  csi:
    driver: nfs.csi.k8s.io
    volumeHandle: x
    volumeAttributes:
      server: nfs-server.storage.svc.cluster.local
      share: /
---
${podWithVolume({ name: 'p', namespace: 'apps', image: 'nginx', volume: ['nfs: {server: nfs-server.storage.svc, path: /d}'] })}`,
        findings: [
          { severity: 'high', line: 9, message: ['CoreDNS'], fix: ['ClusterIP'] },
          { severity: 'high', line: 19, name: 'p' },
        ],
      },
      {
        name: 'fstab and live mounts by hostname',
        fstab: 'nas.lan:/media /mnt/media nfs4 softerr,timeo=100,nofail 0 0\n',
        mountinfo:
          '601 30 0:61 / /mnt/media rw,relatime shared:300 - nfs4 nas.lan:/media rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,softerr,proto=tcp,timeo=100,retrans=2,sec=sys,clientaddr=10.0.0.21,local_lock=none,addr=10.0.0.5\n',
        findings: [
          { severity: 'medium', file: '/etc/fstab', line: 1 },
          { severity: 'medium', file: '/proc/self/mountinfo', line: 1 },
        ],
      },
    ],
  },
  examples,
);
