/**
 * Talos node configuration in the repository (fixtures under test/fixtures/audit/corpus/talos, each
 * after a named public repo): /etc/nfsmount.conf written by machine.files / talhelper patches /
 * EtcFileConfig applies to inline and option-less mounts, located at its own lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mountSites } from '../../../src/audit/analysis/mount-sites.ts';
import { repoNfsMountConf } from '../../../src/audit/analysis/repo-node-config.ts';
import { audit } from '../../../src/audit/engine.ts';
import { Inventory } from '../../../src/audit/inventory.ts';
import { readManifestPaths } from '../../../src/audit/sources/files.ts';

const DIR = 'test/fixtures/audit/corpus/talos';

describe('Talos nfsmount.conf from the repository', async () => {
  const r = await readManifestPaths([DIR]);
  const inv = new Inventory(r.objects, undefined);

  it('reads talhelper inline patches and EtcFileConfig in a .yaml.j2, each option at its file line', () => {
    assert.deepEqual(r.errors, []);
    const conf = repoNfsMountConf(inv).map(
      (o) => `${o.location.file.split('/').pop()}:${o.location.line} ${o.option}`,
    );
    assert.deepEqual(conf, [
      'talconfig.yaml:19 nfsvers=4.2',
      'talconfig.yaml:20 hard',
      'talconfig.yaml:21 noatime',
      'talconfig.yaml:22 nconnect=8',
      'cluster.yaml.j2:15 nfsvers=4.2',
      'cluster.yaml.j2:16 hard',
      'cluster.yaml.j2:17 timeo=600',
    ]);
  });

  it('the node default applies to the app-template inline mount: explicit hard, NFSv4.2, named where written', async () => {
    const site = mountSites(inv).find((s) => s.origin === 'InlineVolume')!;
    assert.equal(site.options.recovery, 'hard');
    assert.equal(site.options.recoveryExplicit, true);
    assert.equal(site.options.version, '4.2');
    const res = await audit({ paths: [DIR] });
    const f = res.findings.find((x) => x.ruleId === 'nfs-inline-volume')!;
    assert.match(f.message, /as written by test\/fixtures\/audit\/corpus\/talos\/\S+:\d+/);
    assert.equal(f.location.line, 15);
  });
});
