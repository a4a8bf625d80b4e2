import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifests } from '../../src/audit/sources/yaml.ts';
import { storageClass } from './k8s-yaml.ts';

/** The seed's class (StorageClass on line 2, parameters.server on 10, the first option on 13), then the rest. */
const SEED_CLASS = storageClass({
  name: 'truenas-nfs',
  isDefault: true,
  provisioner: 'nfs.csi.k8s.io',
  parameters: ['server: truenas.home.lex.la', 'share: /mnt/pool/k8s'],
  mountOptions: ['hard          # retried for ever', 'timeo=600', 'nfsvers=4.1'],
});
const MULTI = `# StorageClass from the seed incident (before)
${SEED_CLASS}---
this: is: not: yaml
---
app: config
---
apiVersion: v1
kind: PersistentVolumeList
items:
  - metadata:
      name: pv-a
    spec:
      mountOptions: [soft]
`;

describe('parseManifests', () => {
  const r = parseManifests(MULTI, 'sc.yaml');

  it('loads objects with the line of each value', () => {
    const sc = r.objects.find((o) => o.kind === 'StorageClass')!;
    assert.equal(sc.name, 'truenas-nfs');
    assert.deepEqual(sc.location, { file: 'sc.yaml', line: 2 });
    assert.deepEqual(sc.locate(['mountOptions', 0]), { file: 'sc.yaml', line: 13 });
    assert.deepEqual(sc.locate(['parameters', 'server']), { file: 'sc.yaml', line: 10 });
  });

  it('reports the broken document with its line and keeps the rest', () => {
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.file, 'sc.yaml');
    assert.equal(r.errors[0]!.line, 17);
    assert.ok(r.skipped >= 1, 'the non-Kubernetes document is skipped quietly');
  });

  it('expands typed lists whose items omit kind', () => {
    const pv = r.objects.find((o) => o.kind === 'PersistentVolume')!;
    assert.equal(pv.name, 'pv-a');
    assert.equal(pv.locate(['spec', 'mountOptions', 0]).line, 27);
  });
});
