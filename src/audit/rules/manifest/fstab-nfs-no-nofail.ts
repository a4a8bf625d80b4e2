/** NFS-016: an fstab NFS entry that can hold up boot when the server is down. */

import { splitOptions } from '../../../nfs/mount-options.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'fstab-nfs-no-nofail',
    severity: 'medium',
    title: 'fstab NFS entry without nofail: a down server blocks boot',
    description:
      'An /etc/fstab mount is required by local-fs/remote-fs.target unless marked `nofail` ("only wanted, ' +
      'not required … boot will continue", systemd.mount(5)). A foreground NFS mount retries for `retry=` ' +
      'minutes (2 by default, nfs(5)) before giving up, so a node that reboots while the NAS is down — ' +
      'exactly when a watchdog reboots it after an NFS hang — sits in boot and never starts kubelet. ' +
      '`x-systemd.mount-timeout=` bounds how long systemd waits; `bg` retries in the background instead.',
    fix: 'Add `nofail,x-systemd.mount-timeout=30s` (or `bg`) to the entry.',
    inputs: ['/etc/fstab'],
    references: [REF.systemdMount, REF.nfs5],
  },
  check: checkEachSite((site) => {
    if (site.origin !== 'fstab') return undefined;
    const names = new Set(splitOptions(site.written.map((w) => w.text)).map((o) => o.name));
    if (names.has('nofail') || names.has('bg') || names.has('noauto')) return undefined;
    return {
      message: `${site.label} (${site.server ?? '?'}:${site.exportPath ?? '?'}) has no nofail/bg${names.has('x-systemd.mount-timeout') ? '' : ' and no x-systemd.mount-timeout'}: if the server is down at boot, the node waits for it instead of starting kubelet.`,
    };
  }),
});

export const examples: RuleExamples = {
  language: 'fstab',
  bad: '172.16.0.10:/mnt/pool/media  /mnt/media  nfs4  vers=4.1,softerr,timeo=100,retrans=2  0  0\n',
  good: '172.16.0.10:/mnt/pool/media  /mnt/media  nfs4  vers=4.1,softerr,timeo=100,retrans=2,nofail,x-systemd.mount-timeout=30s  0  0\n',
};
