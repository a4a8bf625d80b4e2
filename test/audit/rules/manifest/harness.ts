/**
 * Table-driven rule tests (the ESLint RuleTester model): each case is real YAML (and, for node inputs,
 * real /etc/fstab, mountinfo and nfsmount.conf text); invalid cases list the findings they must give,
 * valid cases must give none. The rule's documented examples run through the same path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type AuditSettings, DEFAULT_SETTINGS, Inventory } from '../../../../src/audit/inventory.ts';
import type { NodeFacts } from '../../../../src/audit/model.ts';
import type { Rule } from '../../../../src/audit/rule.ts';
import type { RuleExamples } from '../../../../src/audit/rules/manifest/support.ts';
import { parseFstab } from '../../../../src/audit/sources/node/fstab.ts';
import { parseManifests } from '../../../../src/audit/sources/yaml.ts';
import type { Finding } from '../../../../src/core/finding.ts';
import type { Severity } from '../../../../src/core/severity.ts';
import { parseMountInfo } from '../../../../src/host/mountinfo.ts';
import { parseNfsMountConf } from '../../../../src/nfs/nfsmount-conf.ts';
import { findingsOf, type Expected as HarnessExpected, ruleCases } from '../harness.ts';

export const FILE = 'manifests.yaml';

/** The case study's files (docs/case-study.md): the class BEFORE and AFTER the fix, and the PV found six days later. */
export const SEED = 'test/fixtures/audit/rules/seed';

export function seedText(f: string): string {
  return readFileSync(`${SEED}/${f}`, 'utf8');
}

/** A case-study file as a case's input, reported under its own path. */
export function seed(f: string): { file: string; yaml: string } {
  return { file: `${SEED}/${f}`, yaml: seedText(f) };
}

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

/** What a finding must look like; manifest tables always state the severity. */
export type Expected = HarnessExpected & { severity: Severity };

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
  return findingsOf(rule, buildInventory(c));
}

/** Input of an example as a case: YAML, or fstab text for node examples. */
export function exampleCase(name: string, text: string, examples: RuleExamples): Case {
  return examples.language === 'fstab' ? { name, fstab: text } : { name, yaml: text };
}

/** Adapter onto the one harness (../harness.ts): manifest cases are built from text, synchronously. */
export function ruleTable(
  rule: Rule,
  table: { valid: Case[]; invalid: InvalidCase[] },
  examples: RuleExamples | undefined,
): void {
  for (const c of table.invalid) assert.ok(c.findings.length > 0, `invalid case '${c.name}' expects nothing`);
  ruleCases(
    rule,
    [
      ...table.valid.map((c) => ({ name: c.name, expect: [], inventory: () => buildInventory(c) })),
      ...table.invalid.map((c) => ({ name: c.name, expect: c.findings, inventory: () => buildInventory(c) })),
    ],
    examples && {
      bad: () => buildInventory(exampleCase('bad example', examples.bad, examples)),
      good: () => buildInventory(exampleCase('good example', examples.good, examples)),
    },
  );
}
