/**
 * Table-driven rule tests (the ESLint RuleTester model): each case is real YAML (and, for node inputs,
 * real /etc/fstab, mountinfo and nfsmount.conf text); invalid cases list the findings they must give,
 * valid cases must give none. The rule's documented examples run through the same path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AuditSettings, DEFAULT_SETTINGS, Inventory } from '../../../../src/audit/inventory.ts';
import type { NodeFacts } from '../../../../src/audit/model.ts';
import { type Rule, runRules } from '../../../../src/audit/rule.ts';
import type { RuleExamples } from '../../../../src/audit/rules/manifest/support.ts';
import { parseFstab } from '../../../../src/audit/sources/node/fstab.ts';
import { parseManifests } from '../../../../src/audit/sources/yaml.ts';
import type { Finding } from '../../../../src/core/finding.ts';
import { atLeast, type Severity } from '../../../../src/core/severity.ts';
import { parseMountInfo } from '../../../../src/host/mountinfo.ts';
import { parseNfsMountConf } from '../../../../src/nfs/nfsmount-conf.ts';

export const FILE = 'manifests.yaml';

export interface Case {
  name: string;
  yaml?: string;
  /** File name the YAML is reported under (default manifests.yaml). */
  file?: string;
  /** /etc/fstab text. */
  fstab?: string;
  /** /proc/self/mountinfo text. */
  mountinfo?: string;
  /** Lines of the [ NFSMount_Global_Options ] section of /etc/nfsmount.conf, e.g. ['Soft=True', 'Timeo=100']. */
  nfsmountConf?: string[];
  settings?: Partial<AuditSettings>;
}

export interface Expected {
  severity: Severity;
  line?: number;
  file?: string;
  /** Object name the finding names. */
  name?: string;
  /** Substrings the message must contain. */
  message?: string[];
  /** Substrings the fix must contain. */
  fix?: string[];
  evidence?: Record<string, unknown>;
}

export interface InvalidCase extends Case {
  findings: Expected[];
}

/** Node files go through the project's own readers, as `--node-root` would read them. */
function nodeFile<T>(parsed: { entries: T[]; errors: unknown[] }, name: string): T[] {
  assert.deepEqual(parsed.errors, [], `${name} fixture does not parse`);
  return parsed.entries;
}

export function buildInventory(c: Case): Inventory {
  const parsed = parseManifests(c.yaml ?? '', c.file ?? FILE);
  assert.deepEqual(parsed.errors, [], `case '${c.name}' has broken YAML`);
  const hasNode = c.fstab !== undefined || c.mountinfo !== undefined || c.nfsmountConf !== undefined;
  const node: NodeFacts | undefined = hasNode
    ? {
        root: '/fixture',
        fstab: c.fstab === undefined ? undefined : nodeFile(parseFstab(c.fstab, '/etc/fstab'), 'fstab'),
        mounts:
          c.mountinfo === undefined
            ? undefined
            : parseMountInfo(c.mountinfo).entries.map((e) => ({
                ...e,
                location: { file: '/proc/self/mountinfo', line: e.line },
              })),
        // The global section header is line 1, so option i sits on line i + 2.
        nfsmountConf:
          c.nfsmountConf === undefined
            ? undefined
            : parseNfsMountConf(
                `[ NFSMount_Global_Options ]\n${c.nfsmountConf.join('\n')}\n`,
                '/etc/nfsmount.conf',
              ).options,
      }
    : undefined;
  return new Inventory(parsed.objects, node, { ...DEFAULT_SETTINGS, ...c.settings });
}

export function run(rule: Rule, c: Case): Finding[] {
  const findings = runRules([rule], buildInventory(c));
  return findings.sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) || (a.location.line ?? 0) - (b.location.line ?? 0),
  );
}

function show(fs: Finding[]): string {
  return fs.map((f) => `${f.severity} ${f.location.file}:${f.location.line} ${f.message}`).join('\n');
}

/** Input of an example as a case: YAML, or fstab text for node examples. */
export function exampleCase(name: string, text: string, examples: RuleExamples): Case {
  return examples.language === 'fstab' ? { name, fstab: text } : { name, yaml: text };
}

export function ruleTable(
  rule: Rule,
  table: { valid: Case[]; invalid: InvalidCase[] },
  examples: RuleExamples | undefined,
): void {
  describe(`rule ${rule.meta.id}`, () => {
    const names = [...table.valid, ...table.invalid].map((c) => c.name);
    it('has uniquely named cases, and invalid cases that expect findings', () => {
      assert.equal(new Set(names).size, names.length, 'duplicate case names');
      for (const c of table.invalid)
        assert.ok(c.findings.length > 0, `invalid case '${c.name}' expects nothing`);
    });

    for (const c of table.valid) {
      it(`valid: ${c.name}`, () => {
        const fs = run(rule, c);
        assert.equal(fs.length, 0, `expected no findings, got:\n${show(fs)}`);
      });
    }

    for (const c of table.invalid) {
      it(`invalid: ${c.name}`, () => {
        const fs = run(rule, c);
        assert.equal(
          fs.length,
          c.findings.length,
          `expected ${c.findings.length} findings, got:\n${show(fs)}`,
        );
        c.findings.forEach((e, i) => {
          const f = fs[i]!;
          assert.equal(f.ruleId, rule.meta.id);
          assert.equal(f.severity, e.severity, `finding ${i}: ${f.message}`);
          if (e.line !== undefined) assert.equal(f.location.line, e.line, `finding ${i} line: ${f.message}`);
          if (e.file !== undefined) assert.equal(f.location.file, e.file);
          if (e.name !== undefined) assert.equal(f.object.name, e.name);
          for (const m of e.message ?? [])
            assert.ok(f.message.includes(m), `message lacks '${m}': ${f.message}`);
          for (const m of e.fix ?? []) assert.ok(f.fix.includes(m), `fix lacks '${m}': ${f.fix}`);
          for (const [k, v] of Object.entries(e.evidence ?? {}))
            assert.deepEqual(f.evidence[k], v, `evidence.${k}`);
          assert.ok(f.fix.length > 0 && f.message.length > 0);
          assert.ok(f.location.line !== undefined, 'every finding has a line');
        });
      });
    }

    if (examples) {
      // The docs' examples: bad must report above info (or at all, for info rules); good must not.
      const floor: Severity = rule.meta.severity === 'info' ? 'info' : 'low';
      it('documented bad example reports', () => {
        const fs = run(rule, exampleCase('bad example', examples.bad, examples));
        assert.ok(
          fs.some((f) => atLeast(f.severity, floor)),
          'bad example gives no finding',
        );
      });
      it('documented good example is clean', () => {
        const fs = run(rule, exampleCase('good example', examples.good, examples));
        assert.deepEqual(
          fs.filter((f) => atLeast(f.severity, floor)).map((f) => f.message),
          [],
        );
      });
    }
  });
}
