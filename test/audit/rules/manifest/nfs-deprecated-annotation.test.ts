import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-deprecated-annotation.ts';
import { ruleTable } from './harness.ts';

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'spec.mountOptions only',
        yaml: 'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: a}\nspec: {mountOptions: [soft], nfs: {server: 10.0.0.5, path: /a}}\n',
      },
    ],
    invalid: [
      {
        name: 'annotation overriding spec.mountOptions, with the patch that moves it',
        yaml: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: media
  annotations:
    volume.beta.kubernetes.io/mount-options: "hard,nfsvers=3"
spec:
  mountOptions: [nfsvers=4.1, softerr]
  nfs: {server: 10.0.0.5, path: /media}
`,
        findings: [
          {
            severity: 'low',
            line: 6,
            message: ['overrides its spec.mountOptions [nfsvers=4.1, softerr]'],
            fix: [
              `kubectl patch pv media --type=json -p '[{"op":"replace","path":"/spec/mountOptions","value":["hard","nfsvers=3"]},{"op":"remove","path":"/metadata/annotations/volume.beta.kubernetes.io~1mount-options"}]'`,
            ],
          },
        ],
      },
    ],
  },
  examples,
);
