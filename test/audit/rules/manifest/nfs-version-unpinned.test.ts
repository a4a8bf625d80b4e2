import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-version-unpinned.ts';
import { podWithVolume, storageClass, yamlStream } from '../../k8s-yaml.ts';
import { ruleTable } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      { name: 'fstab type nfs4 implies v4', fstab: '10.0.0.5:/a /mnt/a nfs4 softerr,nofail 0 0\n' },
      {
        name: 'vers from nfsmount.conf Defaultvers',
        fstab: '10.0.0.5:/a /mnt/a nfs softerr,nofail 0 0\n',
        nfsmountConf: ['Defaultvers=4.2'],
      },
      {
        name: 'live mounts show the negotiated version',
        mountinfo:
          '601 30 0:61 / /mnt/a rw,relatime - nfs 10.0.0.5:/a rw,vers=3,hard,proto=tcp,timeo=600,retrans=2\n',
      },
      {
        name: 'Longhorn defaults pin 4.1 (only nfsOptions sites exist, and this one pins)',
        yaml: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: l}\nprovisioner: driver.longhorn.io\nparameters: {nfsOptions: "vers=4.2,softerr"}\n',
      },
    ],
    invalid: [
      {
        name: 'a class with options but no version; the inline volume is left to nfs-inline-volume',
        yaml: yamlStream(
          storageClass({ name: 'nfs', provisioner: 'nfs.csi.k8s.io', mountOptions: ['softerr'] }),
          podWithVolume({ name: 'p', image: 'nginx', volume: ['nfs: {server: 10.0.0.5, path: /d}'] }),
        ),
        findings: [{ severity: 'low', line: 6, message: ['options: softerr'] }],
      },
      {
        name: 'a PV with no options at all',
        yaml: 'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: a}\nspec: {nfs: {server: 10.0.0.5, path: /a}}\n',
        findings: [{ severity: 'low', line: 1, message: ['options: none'] }],
      },
    ],
  },
  examples,
);
