import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-deprecated-annotation.ts';
import { annotatedMediaPv } from '../../k8s-yaml.ts';
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
        yaml: annotatedMediaPv('hard,nfsvers=3', 'nfsvers=4.1, softerr'),
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
