import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { type AuditResult, audit } from '../../../src/audit/engine.ts';
import { AUDIT_JSON_VERSION, renderJson } from '../../../src/audit/reporters/json.ts';
import { renderSarif, SECURITY_SEVERITY } from '../../../src/audit/reporters/sarif.ts';
import { renderText } from '../../../src/audit/reporters/text.ts';
import { RULES } from '../../../src/audit/rules/index.ts';

const cwd = process.cwd();
// The bundled example repo plus its node root, and one unreadable input, so every part of a report shows.
const result: Promise<AuditResult> = audit({
  paths: ['examples/audit/cluster', 'examples/audit/missing.yaml'],
  nodeRoot: 'examples/audit/node-root',
});

describe('json reporter', () => {
  it('has exactly the documented shape', async () => {
    const r = await result;
    const doc = JSON.parse(renderJson(r));
    assert.deepEqual(Object.keys(doc), ['version', 'findings', 'errors', 'warnings', 'summary']);
    assert.equal(doc.version, AUDIT_JSON_VERSION);
    assert.equal(doc.findings.length, r.findings.length);
    for (const f of doc.findings) {
      assert.deepEqual(Object.keys(f), [
        'ruleId',
        'severity',
        'message',
        'location',
        'object',
        'evidence',
        'fix',
      ]);
      assert.deepEqual(Object.keys(f.location), ['file', 'line']);
      assert.deepEqual(Object.keys(f.object), ['kind', 'namespace', 'name']);
    }
    assert.deepEqual(doc.errors, [
      { file: 'examples/audit/missing.yaml', line: null, message: 'no such file or directory (ENOENT)' },
    ]);
    assert.equal(doc.summary.findings, r.findings.length);
  });
});

describe('text reporter', () => {
  it('groups by severity, most severe first, and prints multi-line fixes indented', async () => {
    const r = await result;
    const out = renderText(r, { color: false });
    const headers = [...out.matchAll(/^(CRITICAL|HIGH|MEDIUM|LOW|INFO) \((\d+)\)$/gm)].map((m) => m[1]);
    assert.deepEqual(
      headers,
      [...headers].sort((a, b) => order(a!) - order(b!)),
    );
    assert.match(out, /^INPUT ERRORS \(1\)$/m);
    assert.match(out, /^ {2}examples\/audit\/missing\.yaml: no such file or directory \(ENOENT\)$/m);
    assert.match(out, /^ {4}fix: kubectl patch pv pvc-3f1c2a9e-8d4b-4c61-9a57-0b6f2e1d7c55 /m);
    assert.match(out, /^ {4}Then recreate the pods/m, 'second line of a kubectl patch fix stays indented');
    assert.doesNotMatch(out, /\x1b\[/, 'no colour unless asked');
    assert.match(renderText(r, { color: true }), /\x1b\[1;31mHIGH/);
  });
});

function order(h: string): number {
  return ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'].indexOf(h);
}

describe('sarif reporter', () => {
  const schema = JSON.parse(readFileSync('test/fixtures/sarif/sarif-schema-2.1.0.json', 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  const addFormats = addFormatsModule.default;
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('validates against the official SARIF 2.1.0 schema', async () => {
    const log = JSON.parse(renderSarif(await result, { cwd, nodeRoot: 'examples/audit/node-root' }));
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });

  it('the schema really rejects bad logs (the check is not vacuous)', async () => {
    const log = JSON.parse(renderSarif(await result, { cwd }));
    log.runs[0].results[0].level = 'fatal';
    assert.equal(validate(log), false);
    const log2 = JSON.parse(renderSarif(await result, { cwd }));
    log2.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(log2), false);
  });

  it('carries rules with help and security-severity, relative URIs, levels and fingerprints', async () => {
    const r = await result;
    const run = JSON.parse(renderSarif(r, { cwd, nodeRoot: 'examples/audit/node-root' })).runs[0];
    assert.equal(run.tool.driver.rules.length, RULES.length);
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.help.text.length > 10);
      assert.ok(rule.fullDescription.text.length > 50);
      assert.match(rule.properties['security-severity'], /^\d+\.\d$/);
    }
    const hard = run.results.find(
      (x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        x.ruleId === 'nfs-hard-mount' &&
        x.locations[0]!.physicalLocation.artifactLocation.uri.startsWith(
          'examples/audit/cluster/storage/pvs.yaml',
        ),
    );
    assert.equal(hard.level, 'error');
    assert.equal(hard.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(hard.locations[0].physicalLocation.region.startLine, 46);
    assert.equal(run.tool.driver.rules[hard.ruleIndex].id, 'nfs-hard-mount');
    // Node files point into the node root copy, relative to the repo.
    const dns = run.results.find((x: { ruleId: string }) => x.ruleId === 'dns-fallback-ineffective');
    assert.equal(
      dns.locations[0].physicalLocation.artifactLocation.uri,
      'examples/audit/node-root/etc/systemd/resolved.conf.d/fallback.conf',
    );
    const fps = run.results.map(
      (x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints['faultlineFinding/v1'],
    );
    assert.equal(new Set(fps).size, fps.length, 'fingerprints are unique');
    assert.equal(run.invocations[0].toolExecutionNotifications.length, 1);
    assert.deepEqual(Object.keys(SECURITY_SEVERITY), ['critical', 'high', 'medium', 'low', 'info']);
  });

  it('fingerprints do not depend on line numbers', async () => {
    const r = await result;
    const moved = {
      ...r,
      findings: r.findings.map((f) => ({
        ...f,
        location: { ...f.location, line: (f.location.line ?? 0) + 7 },
      })),
    };
    const a = JSON.parse(renderSarif(r, { cwd })).runs[0].results.map(
      (x: { partialFingerprints: unknown }) => x.partialFingerprints,
    );
    const b = JSON.parse(renderSarif(moved, { cwd })).runs[0].results.map(
      (x: { partialFingerprints: unknown }) => x.partialFingerprints,
    );
    assert.deepEqual(a, b);
  });
});
