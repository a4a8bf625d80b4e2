/**
 * Properties across the NFS rules for any option list a StorageClass can carry: every NFS class gets
 * exactly one of nfs-hard-mount (hard) or nfs-error-budget (soft), the number in the finding is the
 * parser's, and findings always point at a line of the class.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Inventory } from '../../../../src/audit/inventory.ts';
import { runRules } from '../../../../src/audit/rule.ts';
import { MANIFEST_RULES } from '../../../../src/audit/rules/manifest/index.ts';
import { parseManifests } from '../../../../src/audit/sources/yaml.ts';
import { errorAfterSeconds, parseNfsOptions } from '../../../../src/nfs/mount-options.ts';
import { nfsOptionArb } from '../../../nfs/arbitraries.ts';

const option = nfsOptionArb({
  timeo: { min: 1, max: 3000 },
  retrans: { min: 0, max: 10 },
  extra: ['nfsvers=4.2'],
});

function storageClass(opts: string[], isDefault: boolean): string {
  return `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs
  annotations:
    storageclass.kubernetes.io/is-default-class: "${isDefault}"
provisioner: nfs.csi.k8s.io
parameters: {server: 10.0.0.5, share: /k8s}
mountOptions:
${opts.map((o) => `  - ${o}`).join('\n')}
`;
}

describe('NFS rules agree with the option parser (property)', () => {
  it("hard ⇒ nfs-hard-mount (critical iff default); soft ⇒ nfs-error-budget with the parser's number", () => {
    fc.assert(
      fc.property(
        fc.array(option, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 5, max: 900 }),
        (opts, isDefault, budget) => {
          const yaml = storageClass(opts, isDefault);
          const lines = yaml.split('\n').length;
          const inv = new Inventory(parseManifests(yaml, 'sc.yaml').objects, undefined, {
            nodeBudgetSeconds: budget,
          });
          const findings = runRules(MANIFEST_RULES, inv);
          const after = errorAfterSeconds(parseNfsOptions(opts));
          const hard = findings.filter((f) => f.ruleId === 'nfs-hard-mount');
          const soft = findings.filter((f) => f.ruleId === 'nfs-error-budget');
          if (after === null) {
            assert.equal(hard.length, 1);
            assert.equal(soft.length, 0);
            assert.equal(hard[0]!.severity, isDefault ? 'critical' : 'high');
          } else {
            assert.equal(hard.length, 0);
            assert.equal(soft.length, 1);
            assert.equal(soft[0]!.evidence.errorAfterSeconds, after);
            assert.ok(soft[0]!.message.includes(`after ${after} s`));
            const expected = after <= budget ? 'info' : after >= 2 * budget ? 'high' : 'medium';
            assert.equal(soft[0]!.severity, expected);
          }
          for (const f of findings) {
            assert.ok(
              f.location.line !== undefined && f.location.line >= 1 && f.location.line <= lines,
              `${f.ruleId} line`,
            );
            assert.ok(f.message.length > 0 && f.fix.length > 0, f.ruleId);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('manifest rules on malformed objects (property)', () => {
  const kinds = [
    'StorageClass',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'Pod',
    'Deployment',
    'StatefulSet',
    'CronJob',
    'DaemonSet',
    'ConfigMap',
  ];
  // Bodies of the right kind with arbitrary shapes where rules look (strings where lists belong, …).
  const field = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.constant(null),
    fc.array(fc.anything(), { maxLength: 3 }),
    fc.dictionary(fc.string(), fc.anything()),
  );
  const body = fc.record({
    kind: fc.constantFrom(...kinds),
    metadata: fc.oneof(fc.record({ name: fc.string(), namespace: fc.string(), annotations: field }), field),
    spec: fc.oneof(
      field,
      fc.record({
        mountOptions: field,
        nfs: field,
        csi: field,
        volumes: field,
        template: field,
        volumeClaimTemplates: field,
        storageClassName: field,
        claimRef: field,
      }),
    ),
    provisioner: fc.oneof(fc.constantFrom('nfs.csi.k8s.io', 'driver.longhorn.io'), fc.string()),
    mountOptions: field,
    parameters: field,
    data: field,
  });

  it('never throw, whatever the shape', () => {
    fc.assert(
      fc.property(fc.array(body, { maxLength: 6 }), (bodies) => {
        const objects = bodies.map((b, i) => ({
          apiVersion: 'v1',
          kind: b.kind,
          name: `o${i}`,
          namespace: undefined,
          body: { apiVersion: 'v1', ...b } as Record<string, unknown>,
          location: { file: 'x.yaml', line: i + 1 },
          locate: () => ({ file: 'x.yaml', line: i + 1 }),
        }));
        runRules(MANIFEST_RULES, new Inventory(objects, undefined));
      }),
      { numRuns: 300 },
    );
  });
});
