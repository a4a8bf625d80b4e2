/** Options that do not parse, or that contradict each other: Kubernetes does not validate them. */

import { conflictingOptions, parseNfsOptions } from '../../../nfs/mount-options.ts';
import { locateOption } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples, type SiteReport, withEdits } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-invalid-mount-option',
    severity: 'medium',
    title: 'NFS mount option is invalid or contradicts another',
    description:
      '"Mount options are not validated. If a mount option is invalid, the mount fails" (Kubernetes ' +
      'persistent volumes docs): the error shows up only when a pod is scheduled, as a stuck ' +
      'ContainerCreating. Options that contradict each other (soft then hard, vers=3 then nfsvers=4.2) are ' +
      'accepted, and the last one wins (nfs(5) option parsing), which is rarely what the author of the ' +
      'first one meant.',
    fix: 'Fix the value (timeo/retrans are whole numbers, vers is 3, 4, 4.0, 4.1 or 4.2) and keep one of each contradicting pair.',
    inputs: [
      'StorageClass / PV mountOptions',
      'Longhorn nfsOptions',
      'CSI volumeAttributes.mountOptions',
      '/etc/fstab',
    ],
    references: [REF.k8sPvMountOptions, REF.nfs5],
  },
  check: checkEachSite((site) => {
    if (site.origin === 'mountinfo') return undefined;
    const invalid: SiteReport[] = site.options.invalid.map((bad) => ({
      severity: 'medium',
      message: `${site.label}: mount option ${bad.option} is invalid (${bad.reason}); the mount will fail or fall back to the default.`,
      location: locateOption(
        site,
        (o) => (o.value === undefined ? o.name : `${o.name}=${o.value}`) === bad.option,
      ),
      evidence: { invalid: bad.option },
    }));
    // Only what was written here: nfsmount.conf defaults and implied options are meant to be overridden.
    const written = parseNfsOptions(site.written.map((w) => w.text));
    const conflicts: SiteReport[] = conflictingOptions(written).map((pair) => ({
      severity: 'low',
      message: `${site.label}: options contradict each other (${pair}); the last one wins.`,
      evidence: { conflict: pair },
    }));
    return [...invalid, ...conflicts];
  }),
});

const bad = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: nfs}
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /k8s}
mountOptions: [nfsvers=4.1, soft, timeo=10s, retrans=2]
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, ['timeo=10s', 'timeo=100']),
};
