import { truenasClass } from '../../../../src/audit/rules/manifest/support.ts';
import { rule } from '../../../../src/audit/rules/node/watchdog-missing.ts';
import { ruleTable } from './helpers.ts';

const HARD_FSTAB =
  '# <fs> <mp> <type> <opts> <dump> <pass>\nUUID=1234 / ext4 defaults 0 1\ntruenas.home.lex.la:/mnt/pool/media /mnt/media nfs4 rw,hard,timeo=600 0 0\n';
const SOFT_FSTAB =
  'truenas.home.lex.la:/mnt/pool/media /mnt/media nfs4 rw,softerr,timeo=100,retrans=2,nofail 0 0\n';
const HARD_SC = truenasClass('truenas.home.lex.la', ['hard', 'nfsvers=4.1']);
const SEED_WATCHDOG =
  '# /etc/watchdog.conf\nwatchdog-device = /dev/watchdog\nwatchdog-timeout = 120\ninterval = 30\n';
const DEBIAN_DEFAULT_WATCHDOG =
  '#ping\t\t\t= 172.31.14.1\n#watchdog-device\t= /dev/watchdog\n#interval\t\t= 1\n';

ruleTable(
  rule,
  [
    {
      name: 'hard fstab NFS mount and no watchdog.conf',
      files: { '/etc/fstab': HARD_FSTAB },
      expect: [{ file: '/etc/fstab', line: 3, has: 'absent' }],
    },
    {
      name: 'Debian default watchdog.conf (device commented out) and a hard StorageClass',
      files: { '/etc/watchdog.conf': DEBIAN_DEFAULT_WATCHDOG },
      manifests: HARD_SC,
      expect: [{ file: 'm.yaml', line: 10, has: 'names no watchdog-device' }],
    },
    {
      name: 'implicit hard (no soft) live mount in mountinfo',
      files: {
        '/proc/self/mountinfo':
          '24 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n' +
          '310 24 0:61 / /mnt/media rw,relatime shared:150 - nfs4 truenas.home.lex.la:/mnt/pool/media rw,vers=4.1,rsize=1048576,wsize=1048576,namlen=255,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=172.16.0.10,local_lock=none,addr=172.16.0.5\n',
      },
      expect: [{ file: '/proc/self/mountinfo', line: 2 }],
    },
    {
      name: 'the seed node: hard StorageClass, but a hardware watchdog configured',
      files: { '/etc/watchdog.conf': SEED_WATCHDOG },
      manifests: HARD_SC,
      expect: [],
    },
    {
      name: 'only soft NFS mounts',
      files: { '/etc/fstab': SOFT_FSTAB },
      expect: [],
    },
    {
      name: 'nfsmount.conf makes fstab mounts soft by default',
      files: {
        '/etc/fstab': 'srv:/x /mnt/x nfs defaults 0 0\n',
        '/etc/nfsmount.conf': '[ NFSMount_Global_Options ]\nSoft=True\nTimeo=100\n',
      },
      expect: [],
    },
  ],
  { '/etc/fstab': HARD_FSTAB },
);
