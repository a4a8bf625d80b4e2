import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { DEFAULT_MAX_FILE_BYTES, readManifestPaths } from '../../../src/audit/sources/files.ts';
import { requireExecutable } from '../../helpers/lab.ts';

const REPO = 'test/fixtures/audit/inputs/repo';

describe('readManifestPaths: a repository tree', async () => {
  const r = await readManifestPaths([REPO]);

  it('walks directories for .yaml/.yml/.json only, in sorted order', () => {
    // broken.yaml, kustomized.yml, pv-list.json, values.yaml, rendered.yaml — README.md is not read.
    assert.equal(r.filesScanned, 5);
    const kinds = r.objects.map((o) => `${o.kind}/${o.name}`);
    assert.deepEqual(kinds, [
      'ConfigMap/first',
      'ConfigMap/third',
      'ConfigMap/app-config-7g2h9k',
      'Deployment/app',
      'PersistentVolume/pvc-0b1f',
      'ServiceAccount/csi-nfs-controller-sa',
      'StorageClass/nfs-csi',
    ]);
  });

  it('reports the broken document by file and line and keeps the others in the same file', () => {
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.file, join(REPO, 'apps/broken.yaml'));
    // The parser notices the unclosed `[` where the document ends (the `---` on line 10).
    assert.equal(r.errors[0]!.line, 10);
  });

  it('reads kubectl -o json Lists with line numbers', () => {
    const pv = r.objects.find((o) => o.kind === 'PersistentVolume')!;
    assert.equal(pv.location.file, join(REPO, 'apps/pv-list.json'));
    assert.equal(pv.locate(['spec', 'mountOptions', 0]).line, 32);
  });

  it('reads helm template output (comments between documents)', () => {
    const sc = r.objects.find((o) => o.kind === 'StorageClass')!;
    assert.equal(sc.locate(['mountOptions', 0]).line, 26);
  });

  it('skips non-Kubernetes YAML quietly', () => {
    assert.ok(r.skipped >= 1);
    assert.ok(!r.errors.some((e) => e.file.endsWith('values.yaml')));
  });
});

describe('readManifestPaths: bad inputs are errors and the scan goes on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-files-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'good.yaml');
  writeFileSync(good, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n');

  it('nonexistent path', async () => {
    const r = await readManifestPaths([join(dir, 'missing.yaml'), good]);
    assert.equal(r.objects.length, 1);
    assert.match(r.errors[0]!.message, /ENOENT/);
    assert.equal(r.errors[0]!.file, join(dir, 'missing.yaml'));
  });

  it('binary file', async () => {
    const bin = join(dir, 'image.yaml');
    writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    const r = await readManifestPaths([bin, good]);
    assert.equal(r.objects.length, 1);
    assert.match(r.errors[0]!.message, /binary file/);
  });

  it('a file over the 50 MB cap is reported, not read', async () => {
    const big = join(dir, 'huge.yaml');
    writeFileSync(big, '');
    truncateSync(big, DEFAULT_MAX_FILE_BYTES + 1024 * 1024); // sparse: no 51 MB write
    const r = await readManifestPaths([big, good]);
    assert.equal(r.objects.length, 1);
    assert.equal(r.filesScanned, 1, 'the big file was not read');
    assert.match(r.errors[0]!.message, /51 MB, over the 50 MB limit/);
  });

  it('symlink pointing at itself', async () => {
    const loop = join(dir, 'loop.yaml');
    symlinkSync(loop, loop);
    const r = await readManifestPaths([loop, good]);
    assert.equal(r.objects.length, 1);
    assert.match(r.errors[0]!.message, /ELOOP/);
    rmSync(loop);
  });

  it('directory cycle through a symlink', async () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    writeFileSync(join(tree, 'sub', 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n');
    symlinkSync('..', join(tree, 'sub', 'up'));
    const r = await readManifestPaths([tree]);
    assert.deepEqual(
      r.objects.map((o) => o.name),
      ['a'],
    );
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!.message, /symlink loop/);
  });

  it('a FIFO named like a manifest is not opened (it would block)', async () => {
    const mkfifo = requireExecutable('mkfifo', 'coreutils');
    const fifo = join(dir, 'pipe.yaml');
    execFileSync(mkfifo, [fifo]);
    const r = await readManifestPaths([dir]);
    assert.ok(r.errors.some((e) => e.file === fifo && /not a regular file/.test(e.message)));
    assert.ok(r.objects.some((o) => o.name === 'ok'));
    rmSync(fifo);
  });

  it('a directory named x.yaml is walked, not read as a file', async () => {
    const d = join(dir, 'x.yaml');
    mkdirSync(d);
    writeFileSync(join(d, 'inner.yml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: inner\n');
    const r = await readManifestPaths([d]);
    assert.deepEqual(
      r.objects.map((o) => o.name),
      ['inner'],
    );
    assert.equal(r.errors.length, 0);
  });

  it('- reads standard input', async () => {
    const stdin = new PassThrough();
    stdin.end('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: from-stdin\n');
    const r = await readManifestPaths(['-'], { stdin });
    assert.equal(r.objects[0]!.name, 'from-stdin');
    assert.equal(r.objects[0]!.location.file, '<stdin>');
  });

  it('an explicit file with another extension is read', async () => {
    const txt = join(dir, 'dump.txt');
    writeFileSync(txt, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: txt\n');
    const r = await readManifestPaths([txt]);
    assert.equal(r.objects[0]!.name, 'txt');
  });
});
