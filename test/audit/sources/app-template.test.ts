/**
 * app-template `persistence` maps → the workloads and claims the chart renders (fixtures under
 * test/fixtures/audit/corpus/app-template, each written after a named public repo).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audit } from '../../../src/audit/engine.ts';
import { readManifestPaths } from '../../../src/audit/sources/files.ts';

const DIR = 'test/fixtures/audit/corpus/app-template';

async function derived(file: string) {
  const r = await readManifestPaths([`${DIR}/${file}`]);
  assert.deepEqual(r.errors, []);
  return r.objects.filter((o) => o.derivedFrom !== undefined);
}

async function findings(file: string) {
  const r = await audit({ paths: [`${DIR}/${file}`] });
  return r.findings.map(
    (f) => `${f.ruleId} ${f.severity} ${f.object.kind}/${f.object.name}:${f.location.line}`,
  );
}

describe('app-template persistence', () => {
  it('v3: nfs entry → inline volume of the controller workload at the values line; existingClaim creates no PVC', async () => {
    const d = await derived('v3-nfs-globalmounts.yaml');
    assert.deepEqual(
      d.map((o) => `${o.kind}/${o.name}`),
      ['Deployment/radarr'],
    );
    const vols = (d[0]!.body as { spec: { template: { spec: { volumes: unknown[] } } } }).spec.template.spec
      .volumes;
    assert.deepEqual(vols, [
      { name: 'config', persistentVolumeClaim: { claimName: 'radarr' } },
      { name: 'media', nfs: { server: 'nas.internal', path: '/mnt/tank/media' } },
    ]);
    assert.equal(d[0]!.locate(['spec', 'template', 'spec', 'volumes', 1, 'nfs', 'server']).line, 24);
    const r = await audit({ paths: [`${DIR}/v3-nfs-globalmounts.yaml`] });
    assert.match(r.findings[0]!.fix, /In the chart values, replace `type: nfs`/);
    assert.deepEqual(await findings('v3-nfs-globalmounts.yaml'), [
      'nfs-inline-volume high Deployment/radarr:23',
      'nfs-server-hostname medium Deployment/radarr:24',
    ]);
  });

  it('v2: advancedMounts puts the volume only on the controller named; custom volumeSpec.nfs; typed PVC', async () => {
    const d = await derived('v2-advancedmounts-custom.yaml');
    assert.deepEqual(d.map((o) => `${o.kind}/${o.name}`).sort(), [
      'CronJob/frigate-worker',
      'Deployment/frigate-main',
      'PersistentVolumeClaim/frigate-cache',
    ]);
    const cron = d.find((o) => o.kind === 'CronJob')!;
    assert.equal(
      cron.locate(['spec', 'jobTemplate', 'spec', 'template', 'spec', 'volumes', 0, 'nfs', 'path']).line,
      32,
    );
    const main = d.find((o) => o.kind === 'Deployment')!;
    assert.deepEqual(
      (
        main.body as { spec: { template: { spec: { volumes: { name: string }[] } } } }
      ).spec.template.spec.volumes.map((v) => v.name),
      ['cache'],
    );
    assert.deepEqual(await findings('v2-advancedmounts-custom.yaml'), [
      'nfs-inline-volume high CronJob/frigate-worker:28',
    ]);
  });

  it('v1: enabled/mountPath, controller.type statefulset, disabled entries skipped, a variable in the server', async () => {
    const d = await derived('v1-enabled-mountpath.yaml');
    assert.deepEqual(
      d.map((o) => `${o.kind}/${o.name}`),
      ['StatefulSet/audiobookshelf'],
    );
    const r = await audit({ paths: [`${DIR}/v1-enabled-mountpath.yaml`] });
    const host = r.findings.find((f) => f.ruleId === 'nfs-server-hostname')!;
    assert.match(host.message, /nas\.\$\{SECRET_DOMAIN\}.*a DNS name whatever the variables hold/);
  });

  it('a volume map is not a Bitnami block: no PVC per entry on the default class; Bitnami still one PVC', async () => {
    const d = await derived('not-app-template-zfs.yaml');
    assert.deepEqual(d.map((o) => `${o.kind}/${o.name}`).sort(), [
      'Deployment/paperless',
      'PersistentVolumeClaim/paperless-scratch',
      'PersistentVolumeClaim/redis-master',
    ]);
    const f = await findings('not-app-template-zfs.yaml');
    assert.ok(!f.some((x) => x.includes('paperless')), f.join('\n'));
    assert.ok(
      f.some((x) => x.startsWith('default-storageclass-nfs-hard high PersistentVolumeClaim/redis-master')),
    );
  });
});

describe('NFS anywhere a volume can hide (generic walk)', () => {
  it('a CRD that embeds a volume and chart values extraVolumes: owner, path, line; disabled csi.nfs is no volume', async () => {
    const r = await audit({ paths: ['test/fixtures/audit/corpus/embedded'] });
    const inline = r.findings.filter((f) => f.ruleId === 'nfs-inline-volume');
    assert.deepEqual(
      inline.map((f) => `${f.object.kind}/${f.object.name}:${f.location.line}`),
      ['ClusterRepository/nas:13', 'HelmRelease/kopiur:26'],
    );
    assert.match(inline[0]!.message, /volume volume \(at spec\.backend\.filesystem\.volume\)/);
    assert.match(inline[1]!.message, /volume repo \(at spec\.values\.extraVolumes\[0\]\)/);
  });
});

describe('values that live elsewhere', () => {
  it('valuesFrom ConfigMap from a configMapGenerator file, merged under spec.values, located per file; Flux variables resolved', async () => {
    const r = await audit({ paths: ['test/fixtures/audit/corpus/values-from'] });
    const inline = r.findings.find((f) => f.ruleId === 'nfs-inline-volume')!;
    assert.equal(inline.object.name, 'kopia');
    assert.equal(inline.location.file, 'test/fixtures/audit/corpus/values-from/app/values.yaml');
    assert.equal(inline.location.line, 10);
    // spec.values overrides the path (Flux merges valuesFrom first, spec.values on top).
    assert.match(inline.message, /nas\.internal:\/mnt\/tank\/kopia-override/);
    const host = r.findings.find((f) => f.ruleId === 'nfs-server-hostname')!;
    assert.match(
      host.message,
      /written \$\{CLUSTER_NFS_SERVER\}, resolved from ConfigMap flux-system\/cluster-config/,
    );
    assert.equal(host.location.line, 11);
    assert.ok(r.warnings.some((w) => /Secret kopia-secret-values .* unknown/.test(w.message)));
  });
});

describe('nfs-subdir-external-provisioner values', () => {
  it('render the class (default via storageClass.defaultClass, nfs.mountOptions) and the root PV; the values nfs block is no inline volume', async () => {
    const r = await audit({ paths: ['test/fixtures/audit/corpus/nfs-subdir'] });
    assert.deepEqual(
      r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.object.kind}/${f.object.name}:${f.location.line}`),
      [
        'nfs-hard-mount critical StorageClass/nfs-client:19',
        'nfs-hard-mount high PersistentVolume/pv-nfs-provisioner:19',
        'default-storageclass-nfs-hard high StorageClass/nfs-client:22',
      ],
    );
  });
});

describe('Argo CD valueFiles', () => {
  it('multi-source $values/… resolved inside the repository, findings at the values file line', async () => {
    const r = await audit({ paths: ['test/fixtures/audit/corpus/argo-values'] });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.findings.map(
        (f) => `${f.ruleId} ${f.object.kind}/${f.object.name} ${f.location.file}:${f.location.line}`,
      ),
      [
        'nfs-inline-volume Deployment/jellyfin test/fixtures/audit/corpus/argo-values/values/media/jellyfin.yaml:10',
      ],
    );
  });
});
