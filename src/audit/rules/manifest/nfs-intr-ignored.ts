/** NFS-006: `intr`/`nointr` do nothing since Linux 2.6.25. */
import { locateOption } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-intr-ignored',
    severity: 'info',
    title: 'intr/nointr is ignored by current kernels',
    description:
      'nfs(5): the `intr`/`nointr` options are "ignored after kernel 2.6.25". Since then NFS and SUNRPC waits ' +
      'are killable (TASK_KILLABLE: a fatal signal ends them; coverage was completed by a 2024–25 patch) ' +
      'whatever the option says, and nothing else interrupts them. Keeping `intr` suggests a protection ' +
      'the mount does not have: on a hard mount, processes still wait until the server returns.',
    fix: 'Remove intr/nointr; bound the wait with softerr and timeo/retrans instead, if that is the intent.',
    inputs: ['StorageClass / PV mountOptions', 'Longhorn nfsOptions', '/etc/fstab', '/etc/nfsmount.conf'],
    references: [REF.nfs5],
  },
  check: checkEachSite((site) => {
    if (site.options.ignored.length === 0 || site.origin === 'mountinfo') return undefined;
    return {
      message: `${site.label} sets ${site.options.ignored.join(', ')}, which the kernel has ignored since 2.6.25; the mount is ${site.options.recovery}.`,
      location: locateOption(site, (o) => o.name === 'intr' || o.name === 'nointr'),
      evidence: { ignored: site.options.ignored },
    };
  }),
});

export const examples: RuleExamples = {
  language: 'fstab',
  bad: '172.16.0.10:/mnt/pool/media  /mnt/media  nfs4  hard,intr,nofail  0  0\n',
  good: '172.16.0.10:/mnt/pool/media  /mnt/media  nfs4  softerr,timeo=100,retrans=2,nofail  0  0\n',
};
