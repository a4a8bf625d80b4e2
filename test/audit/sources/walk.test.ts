/**
 * The file walk on inputs that are not plain Kubernetes YAML: Helm/Jinja templates, excluded paths,
 * duplicate keys, and hostile sizes (issue 9: a 130,000-document file overflowed the stack, a
 * 7-million-number JSON array exhausted memory). Every case: the rest of the scan still finishes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { audit } from '../../../src/audit/engine.ts';
import { compileGlob, isExcluded } from '../../../src/audit/sources/exclude.ts';
import { readManifestPaths } from '../../../src/audit/sources/files.ts';
import { MAX_OBJECTS_PER_FILE, parseManifests } from '../../../src/audit/sources/yaml.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fl-audit-walk-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const p = join(tmp, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const HARD_DEFAULT = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: nfs.csi.k8s.io
mountOptions: [hard]
`;

describe('templates', () => {
  it('Helm and Jinja template documents are skipped and counted, not errors; real YAML errors stay errors', async () => {
    const dir = join(tmp, 'tpl');
    write(
      'tpl/chart/templates/pvc.yaml',
      '{{- if .Values.persistence.enabled }}\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {{ include "x.fullname" . }}\n{{- end }}\n',
    );
    write('tpl/jinja.yaml', '{% for n in nodes %}\n- name: {{ n }}\n{% endfor %}\n');
    write('tpl/broken.yaml', 'a: [1, 2\nb: c\n');
    // Flux substitutes ${VAR} in the text: inside a flow sequence it is not YAML until then.
    write('tpl/flux.yaml', `scrape:\n  - targets: [vault.$\{CLUSTER_DOMAIN}:8200]\n`);
    write('tpl/ok.yaml', HARD_DEFAULT);
    const r = await readManifestPaths([dir]);
    assert.equal(r.templates, 3);
    assert.equal(r.templateFiles, 3);
    assert.deepEqual(
      r.errors.map((e) => `${e.file.slice(dir.length + 1)}:${e.line}`),
      ['broken.yaml:2'],
    );
    assert.equal(r.objects.length, 1);
  });
});

describe('--exclude and .faultlineignore', () => {
  it('globs: name anywhere, anchored paths, **, dir-only', () => {
    const m = (g: string, rel: string, dir = false) => isExcluded([compileGlob(g, 't')], rel, dir);
    assert.ok(m('examples', 'a/examples', true));
    assert.ok(m('*.sops.yaml', 'x/y/secret.sops.yaml'));
    assert.ok(!m('clusters/old', 'a/clusters/old', true));
    assert.ok(m('clusters/old', 'clusters/old', true));
    assert.ok(m('**/staging/**', 'k/staging/apps/x.yaml'));
    assert.ok(!m('tmp/', 'tmp'), 'dir-only pattern skips files');
  });

  it('a default class only in an excluded directory no longer counts', async () => {
    const dir = join(tmp, 'ex');
    write('ex/clusters/old/sc.yaml', HARD_DEFAULT);
    write(
      'ex/apps/pvc.yaml',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce]}\n',
    );
    const all = await audit({ paths: [dir] });
    const claim = all.findings.find(
      (f) => f.ruleId === 'default-storageclass-nfs-hard' && f.object.kind === 'PersistentVolumeClaim',
    )!;
    // The finding names where the class it relies on is made default.
    assert.match(claim.message, /made default at .*clusters\/old\/sc\.yaml:5/);
    const flag = await audit({ paths: [dir], exclude: ['clusters/old'] });
    assert.ok(!flag.findings.some((f) => f.ruleId === 'default-storageclass-nfs-hard'));
    assert.equal(flag.summary.excluded, 1);
    write('ex/.faultlineignore', '# not deployed\nold/\n');
    const ignored = await audit({ paths: [dir] });
    assert.equal(ignored.findings.length, 0);
    assert.equal(ignored.summary.excluded, 1);
    assert.equal(ignored.summary.dotEntriesSkipped, 1, 'the ignore file itself is a dot-file, counted');
  });
});

describe('duplicate keys', () => {
  it('warn, and the location points at the key that took effect', () => {
    const text =
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: nfs}\nprovisioner: nfs.csi.k8s.io\nmountOptions: [soft]\nmountOptions: [hard]\n';
    const r = parseManifests(text, 'dup.yaml');
    assert.deepEqual(r.warnings, [
      {
        file: 'dup.yaml',
        line: 6,
        message: "duplicate key 'mountOptions' (also at line 5): this later one takes effect",
      },
    ]);
    assert.deepEqual(r.objects[0]!.body.mountOptions, ['hard']);
    assert.equal(r.objects[0]!.locate(['mountOptions', 0]).line, 6);
  });
});

describe('hostile sizes', () => {
  it('130,000 documents: bounded, reported with the line it stopped at, no stack overflow', async () => {
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n';
    const big = write('huge/docs.yaml', doc.repeat(130_000));
    write('huge/z.yaml', HARD_DEFAULT);
    const r = await audit({ paths: [join(tmp, 'huge')] });
    assert.equal(r.summary.objects, MAX_OBJECTS_PER_FILE + 1);
    assert.ok(
      r.findings.some((f) => f.ruleId === 'default-storageclass-nfs-hard'),
      'the other file still scanned',
    );
    const w = r.warnings.find((x) => x.file === big)!;
    assert.equal(w.line, MAX_OBJECTS_PER_FILE * 4); // the --- that starts the first unread document
  });

  it('a List of 60,000 items: bounded, with a warning at the first item not read', () => {
    const items = Array.from({ length: 60_000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `c${i}` },
    }));
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1);
    const r = parseManifests(text, 'list.json');
    assert.equal(r.objects.length, MAX_OBJECTS_PER_FILE);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!.message, /List items from here on \(10000 of 60000\) were not read/);
    assert.ok((r.warnings[0]!.line ?? 0) > 1);
  });

  it('a JSON array of 7 million numbers is refused before parsing, with file:line', () => {
    const text = `[${'1,'.repeat(7_000_000)}1]`;
    const before = process.memoryUsage().heapUsed;
    const r = parseManifests(text, 'numbers.json');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!.message, /values in one file: not parsed/);
    assert.equal(r.errors[0]!.line, 1);
    // Not a timing assertion: the refusal must not build a node per number (GBs), only count them.
    assert.ok(process.memoryUsage().heapUsed - before < 200 * 1024 * 1024);
  });
});
