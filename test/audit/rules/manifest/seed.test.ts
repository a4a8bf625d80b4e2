/**
 * The issue's Done-when through the whole manifest rule set: the case study's BEFORE class gives
 * nfs-hard-mount, critical, at its `- hard` line; the AFTER class gives no nfs-hard-mount and reports
 * the 30 s error budget; the same BEFORE class kept in Argo CD Helm values gives the same finding at
 * the values' line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Inventory } from '../../../../src/audit/inventory.ts';
import { runRules } from '../../../../src/audit/rule.ts';
import { MANIFEST_RULES } from '../../../../src/audit/rules/manifest/index.ts';
import { expandWrappers } from '../../../../src/audit/sources/gitops/index.ts';
import { parseManifests } from '../../../../src/audit/sources/yaml.ts';

const FIX = 'test/fixtures/audit/rules';

function audit(file: string) {
  const text = readFileSync(file, 'utf8');
  const parsed = parseManifests(text, file);
  const errors = [...parsed.errors];
  const objects = [...parsed.objects, ...expandWrappers(parsed.objects, text, errors)];
  assert.deepEqual(errors, []);
  return runRules(MANIFEST_RULES, new Inventory(objects, undefined));
}

describe('case-study StorageClasses through every manifest rule', () => {
  it('BEFORE: nfs-hard-mount, critical, at the `- hard` line', () => {
    const fs = audit(`${FIX}/seed/truenas-sc-before.yaml`);
    const hard = fs.filter((f) => f.ruleId === 'nfs-hard-mount');
    assert.equal(hard.length, 1);
    assert.equal(hard[0]!.severity, 'critical');
    assert.deepEqual(hard[0]!.location, { file: `${FIX}/seed/truenas-sc-before.yaml`, line: 15 });
    assert.equal(hard[0]!.evidence.errorAfterSeconds, null);
    assert.equal(fs.filter((f) => f.ruleId === 'nfs-error-budget').length, 0);
    assert.ok(fs.some((f) => f.ruleId === 'default-storageclass-nfs-hard'));
  });

  it('AFTER: no nfs-hard-mount, and the 30 s error budget is reported', () => {
    const fs = audit(`${FIX}/seed/truenas-sc-after.yaml`);
    assert.deepEqual(
      fs.filter((f) => f.ruleId === 'nfs-hard-mount' || f.ruleId === 'default-storageclass-nfs-hard'),
      [],
    );
    const budget = fs.filter((f) => f.ruleId === 'nfs-error-budget');
    assert.equal(budget.length, 1);
    assert.equal(budget[0]!.severity, 'info');
    assert.equal(budget[0]!.evidence.errorAfterSeconds, 30);
    assert.match(
      budget[0]!.message,
      /I\/O errors after 30 s \(timeo=100, retrans=2; NFSv4: once the connection breaks\), within the node's 120 s/,
    );
    // Nothing above info besides the DNS dependency of the server name.
    assert.deepEqual(
      fs.filter((f) => f.severity !== 'info').map((f) => f.ruleId),
      ['nfs-server-hostname'],
    );
  });

  it('the BEFORE class in Argo CD Helm values: same finding, at the values line, marked derived', () => {
    const file = `${FIX}/gitops/argocd-csi-driver-nfs.yaml`;
    const hard = audit(file).filter((f) => f.ruleId === 'nfs-hard-mount');
    assert.equal(hard.length, 1);
    assert.equal(hard[0]!.severity, 'critical');
    assert.deepEqual(hard[0]!.location, { file, line: 27 });
    assert.match(String(hard[0]!.evidence.derivedFrom), /Application argocd\/csi-driver-nfs/);
  });
});
