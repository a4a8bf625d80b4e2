import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-inline-volume.ts';
import { podWithVolume, workload } from '../../k8s-yaml.ts';
import { ruleTable } from './harness.ts';

const deployment = workload({
  kind: 'Deployment',
  name: 'jellyfin',
  namespace: 'media',
  label: 'app: jellyfin',
  containers: ['- name: jellyfin', '  image: jellyfin/jellyfin:10.9.0'],
  volumes: [
    '- name: config',
    '  emptyDir: {}',
    '- name: media',
    '  nfs:',
    '    server: truenas.home.lex.la',
    '    path: /mnt/pool/media',
    '    readOnly: true',
  ],
});

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'a PVC-backed volume',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: nginx}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: d}}]
`,
      },
      {
        name: 'a CSI inline NFS volume (it can carry mountOptions)',
        yaml: podWithVolume({
          name: 'p',
          image: 'nginx',
          volume: [
            'csi:',
            '  driver: nfs.csi.k8s.io',
            '  volumeAttributes: {server: 10.0.0.5, share: /d, mountOptions: "softerr,timeo=100"}',
          ],
        }),
      },
    ],
    invalid: [
      {
        name: 'a Deployment template with an inline nfs volume: hard by kernel default',
        yaml: deployment,
        findings: [
          {
            severity: 'high',
            line: 17,
            name: 'jellyfin',
            message: [
              'truenas.home.lex.la:/mnt/pool/media',
              'cannot carry mount options',
              'errorAfterSeconds=never',
            ],
          },
        ],
      },
      {
        name: 'the node makes inline mounts soft through nfsmount.conf: still reported, medium',
        yaml: deployment,
        nfsmountConf: ['Soft=True', 'Timeo=100'],
        findings: [
          { severity: 'medium', message: ['/etc/nfsmount.conf: soft, timeo=100', 'errors after 30 s'] },
        ],
      },
      {
        name: 'a CronJob job template',
        yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: restic/restic}]
          volumes:
            - name: repo
              nfs: {server: 10.0.0.5, path: /backup}
`,
        findings: [{ severity: 'high', line: 13, message: ['CronJob ops/backup volume repo'] }],
      },
    ],
  },
  examples,
);
