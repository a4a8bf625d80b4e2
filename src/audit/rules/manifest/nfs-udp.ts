/** NFS-007: NFS over UDP. */
import { locateOption } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-udp',
    severity: 'medium',
    title: 'NFS over UDP',
    description:
      'nfs(5) warns that over UDP, with the default 16-bit IP ID, large reads and writes on a busy link can ' +
      'reassemble fragments from different datagrams: silent data corruption. UDP also uses a different ' +
      'timeout model (timeo 1.1 s doubling per retry, capped at 60 s, kernel NFS_DEF_UDP_TIMEO=11, ' +
      'NFS_DEF_UDP_RETRANS=3), and NFSv4 requires TCP.',
    fix: 'Use proto=tcp (the default) and, for NFSv3, check the server offers TCP.',
    inputs: ['StorageClass / PV mountOptions', '/etc/fstab', '/etc/nfsmount.conf', '/proc/self/mountinfo'],
    references: [REF.nfs5, REF.kernelTimeout],
  },
  check: checkEachSite((site) => {
    if (site.options.transport !== 'udp') return undefined;
    return {
      message: `${site.label} mounts NFS over UDP (timeo=${site.options.timeo}, retrans=${site.options.retrans}): fragment reassembly can corrupt data silently, and NFSv4 needs TCP.`,
      location: locateOption(
        site,
        (o) => o.name === 'udp' || (o.name === 'proto' && /^udp/.test(o.value ?? '')),
      ),
    };
  }),
});

export const examples: RuleExamples = {
  language: 'fstab',
  bad: '172.16.0.10:/export/backup  /mnt/backup  nfs  vers=3,proto=udp,softerr,nofail  0  0\n',
  good: '172.16.0.10:/export/backup  /mnt/backup  nfs  vers=3,proto=tcp,softerr,timeo=100,retrans=2,nofail  0  0\n',
};
