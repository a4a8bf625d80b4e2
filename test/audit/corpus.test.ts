/**
 * The shapes corpus (issue 9): fixtures under test/fixtures/audit/corpus, each written after a public
 * home-ops repository named in its header. Every hard / implicitly hard NFS mount site in it must be
 * reported at its file and line, and nothing else (the table is the corpus' ground truth, written by
 * hand from the fixtures, not from the audit's output).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { audit } from '../../src/audit/engine.ts';

const ROOT = 'test/fixtures/audit/corpus';
const NFS_RULES = new Set(['nfs-inline-volume', 'nfs-hard-mount', 'default-storageclass-nfs-hard']);

/** Shape → the sites it holds: "rule file:line". Sources are named in each fixture's header. */
const SITES: Record<string, string[]> = {
  'app-template': [
    // the default hard class and the Bitnami-style claim landing on it; no PVC per app-template entry
    'nfs-hard-mount app-template/not-app-template-zfs.yaml:48',
    'default-storageclass-nfs-hard app-template/not-app-template-zfs.yaml:38',
    'default-storageclass-nfs-hard app-template/not-app-template-zfs.yaml:45',
    'nfs-inline-volume app-template/v1-enabled-mountpath.yaml:24', // type: nfs (v1, enabled)
    'nfs-inline-volume app-template/v2-advancedmounts-custom.yaml:28', // custom volumeSpec.nfs
    'nfs-inline-volume app-template/v3-nfs-globalmounts.yaml:23', // type: nfs (v3)
  ],
  'argo-values': ['nfs-inline-volume argo-values/values/media/jellyfin.yaml:10'],
  embedded: [
    'nfs-inline-volume embedded/backup-repository.yaml:13', // CRD spec.backend.filesystem.volume
    'nfs-inline-volume embedded/backup-repository.yaml:26', // chart values extraVolumes
  ],
  'nfs-subdir': [
    'nfs-hard-mount nfs-subdir/helmrelease.yaml:19', // the class
    'nfs-hard-mount nfs-subdir/helmrelease.yaml:19', // the provisioner's root PV
    'default-storageclass-nfs-hard nfs-subdir/helmrelease.yaml:22',
  ],
  talos: ['nfs-inline-volume talos/media.yaml:15'],
  'values-from': ['nfs-inline-volume values-from/app/values.yaml:10'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('shapes corpus', () => {
  it('every shape directory is in the table, and every fixture names the public repository it follows', () => {
    assert.deepEqual(readdirSync(ROOT).sort(), Object.keys(SITES).sort());
    for (const f of files(ROOT)) {
      const head = readFileSync(f, 'utf8').split('\n').slice(0, 4).join('\n');
      assert.match(head, /^# /, `${f}: no header comment`);
      assert.match(head, /[\w-]+\/[\w.-]+|values shape of/i, `${f}: header names no source repository`);
    }
  });

  for (const [shape, expected] of Object.entries(SITES))
    it(`${shape}: every site found at its line, nothing else`, async () => {
      const r = await audit({ paths: [join(ROOT, shape)] });
      const got = r.findings
        .filter((f) => NFS_RULES.has(f.ruleId))
        .map((f) => `${f.ruleId} ${f.location.file.slice(ROOT.length + 1)}:${f.location.line}`);
      assert.deepEqual(got.sort(), [...expected].sort());
    });
});
