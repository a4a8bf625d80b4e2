/** NFS-018: Longhorn nfsOptions that leave out soft/softerr, replacing Longhorn's softerr default. */
import { describeRecovery, LONGHORN_DEFAULT_NFS_OPTIONS } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples, siteWithOrigin, withEdits } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'longhorn-nfs-options-hard',
    severity: 'high',
    title: 'Longhorn nfsOptions without soft/softerr makes RWX volumes hard',
    description:
      `Longhorn mounts RWX volumes from its share-manager over NFS with \`${LONGHORN_DEFAULT_NFS_OPTIONS}\` ` +
      '(falling back to soft) — it moved from hard to soft after node hangs (longhorn#6655). The ' +
      'StorageClass parameter `nfsOptions` **replaces** those defaults entirely (Longhorn ' +
      'storage-class-parameters docs, csi/node_server.go): an nfsOptions value that tunes, say, timeo but ' +
      'leaves out soft/softerr silently turns every RWX volume of the class into a hard mount (nfs(5)).',
    fix: `Start from Longhorn's defaults and change only what you need, keeping softerr: e.g. \`vers=4.1,noresvport,softerr,timeo=100,retrans=2\`.`,
    inputs: [
      'StorageClass parameters.nfsOptions (driver.longhorn.io)',
      'PersistentVolume csi.volumeAttributes.nfsOptions',
      'Longhorn Helm values persistence.nfsOptions',
    ],
    references: [REF.longhorn, REF.nfs5],
  },
  check: checkEachSite((site) => {
    if (site.driver !== 'longhorn' || site.errorAfterSeconds !== null) return undefined;
    return {
      severity: site.isDefaultClass ? 'critical' : 'high',
      message: `${siteWithOrigin(site)} sets Longhorn nfsOptions "${site.written.map((w) => w.text).join(',')}", which replace Longhorn's softerr defaults: RWX volumes mount ${describeRecovery(site)}.`,
      evidence: { longhornDefaults: LONGHORN_DEFAULT_NFS_OPTIONS },
    };
  }),
});

const bad = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: longhorn-rwx}
provisioner: driver.longhorn.io
parameters:
  numberOfReplicas: "3"
  nfsOptions: "vers=4.1,noresvport,timeo=600,retrans=5"
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, [
    'nfsOptions: "vers=4.1,noresvport,timeo=600,retrans=5"',
    'nfsOptions: "vers=4.1,noresvport,softerr,timeo=100,retrans=2"',
  ]),
};
