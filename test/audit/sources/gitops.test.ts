import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readManifestPaths } from '../../../src/audit/sources/files.ts';

const FILE = 'test/fixtures/audit/inputs/argo-values.yaml';

describe('GitOps wrappers → derived objects at the values lines', async () => {
  const r = await readManifestPaths([FILE]);
  const derived = r.objects.filter((o) => o.derivedFrom !== undefined);
  const get = (kind: string, name: string) => derived.find((o) => o.kind === kind && o.name === name)!;

  it('derives nothing it should not, and reports no errors', () => {
    assert.deepEqual(r.errors, []);
    assert.deepEqual(derived.map((o) => `${o.kind}/${o.name}`).sort(), [
      'ConfigMap/cilium-config',
      'PersistentVolumeClaim/loki-singleBinary',
      'StorageClass/longhorn',
      'StorageClass/nfs-a',
      'StorageClass/nfs-b',
    ]);
  });

  it('Argo multi-source csi-driver-nfs storageClasses[] inside a `values: |` block: lines are file lines', () => {
    const a = get('StorageClass', 'nfs-a');
    assert.equal(a.body.provisioner, 'nfs.csi.k8s.io');
    assert.deepEqual(a.body.mountOptions, ['hard', 'nfsvers=4.1']);
    assert.deepEqual(a.location, { file: FILE, line: 20 });
    assert.equal(a.locate(['mountOptions', 0]).line, 27);
    assert.equal(a.locate(['parameters', 'server']).line, 24);
    assert.equal(
      a.locate(['metadata', 'annotations', 'storageclass.kubernetes.io/is-default-class']).line,
      22,
    );
    assert.match(a.derivedFrom!, /Application argocd\/nfs spec\.sources\.1\.helm\.values/);
    const b = get('StorageClass', 'nfs-b');
    assert.equal(b.body.mountOptions, undefined, 'no mountOptions: kernel defaults (hard) apply');
    assert.equal(b.locate(['parameters', 'server']).line, 31);
  });

  it('Longhorn valuesObject: persistence.nfsOptions → parameters.nfsOptions, defaultClass false', () => {
    const lh = get('StorageClass', 'longhorn');
    assert.equal(lh.body.provisioner, 'driver.longhorn.io');
    assert.equal(
      (lh.body.parameters as Record<string, string>).nfsOptions,
      'vers=4.2,noresvport,timeo=600,retrans=5',
    );
    assert.equal(
      (lh.body.metadata as { annotations: Record<string, string> }).annotations[
        'storageclass.kubernetes.io/is-default-class'
      ],
      'false',
    );
    assert.equal(lh.locate(['parameters', 'nfsOptions']).line, 50);
  });

  it('Flux HelmRelease persistence without storageClass → PVC with no storageClassName; disabled blocks ignored', () => {
    const pvc = get('PersistentVolumeClaim', 'loki-singleBinary');
    assert.equal(pvc.namespace, 'monitoring');
    const spec = pvc.body.spec as Record<string, unknown>;
    assert.equal('storageClassName' in spec, false);
    assert.deepEqual(spec.resources, { requests: { storage: '50Gi' } });
    assert.equal(pvc.location.line, 67);
  });

  it('k3s HelmChart valuesContent (|-) for cilium → kube-system/cilium-config with the real keys', () => {
    const cm = get('ConfigMap', 'cilium-config');
    assert.equal(cm.namespace, 'kube-system');
    assert.deepEqual(cm.body.data, {
      'k8s-service-host': 'api.cluster.lan',
      'k8s-service-port': '6443',
      'kube-proxy-replacement': 'true',
    });
    assert.equal(cm.locate(['data', 'k8s-service-host']).line, 83);
  });
});

describe('GitOps wrappers: bad values', () => {
  it('values that are not a mapping are an error at the key line; the wrapper still loads', async () => {
    const { expandWrappers } = await import('../../../src/audit/sources/gitops/index.ts');
    const { parseManifests } = await import('../../../src/audit/sources/yaml.ts');
    const text =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: x\nspec:\n  source:\n    chart: cilium\n    helm:\n      values: |\n        - just\n        - a list\n';
    const objs = parseManifests(text, 'x.yaml').objects;
    const errors: { file: string; line?: number; message: string }[] = [];
    assert.deepEqual(expandWrappers(objs, text, errors), []);
    assert.equal(objs.length, 1);
    assert.equal(errors[0]!.line, 9);
    assert.match(errors[0]!.message, /not a YAML mapping/);
  });
});
