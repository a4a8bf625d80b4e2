/**
 * An audit rule is metadata plus one `check` function (the ESLint model). Rules report; reporters format.
 * To add a rule: one file in rules/, one test in test/audit/rules/, one line in rules/index.ts.
 */
import type { Finding } from '../core/finding.ts';
import type { ObjectRef, SourceLocation } from '../core/location.ts';
import type { Severity } from '../core/severity.ts';
import type { Inventory } from './inventory.ts';

export interface RuleMeta {
  /** Stable kebab-case id, e.g. `nfs-hard-mount`. Never renamed once released. */
  id: string;
  /** Severity when the rule does not decide per finding. */
  severity: Severity;
  /** One line, shown in lists and SARIF `shortDescription`. */
  title: string;
  /** Why it matters: one paragraph, with the mechanism and its source. */
  description: string;
  /** The general fix; a finding may add a specific one (e.g. a `kubectl patch`). */
  fix: string;
  /** Where the rule looks, for docs: e.g. ['StorageClass', 'PersistentVolume', '/etc/fstab']. */
  inputs: string[];
  /** Public sources that back the rule: man pages, kernel source, upstream docs and issues. */
  references: string[];
}

export interface ReportInput {
  message: string;
  location: SourceLocation;
  object: ObjectRef;
  evidence?: Record<string, unknown>;
  /** Overrides the rule's severity for this finding (e.g. critical when the default StorageClass). */
  severity?: Severity;
  /** Overrides the rule's general fix. */
  fix?: string;
}

export interface RuleContext {
  inventory: Inventory;
  report(input: ReportInput): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Identity helper: gives type inference and a single place to validate metadata. */
export function defineRule(rule: Rule): Rule {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.meta.id))
    throw new Error(`rule id '${rule.meta.id}' is not kebab-case`);
  return rule;
}

export function runRules(rules: readonly Rule[], inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    rule.check({
      inventory,
      report: (r) =>
        findings.push({
          ruleId: rule.meta.id,
          severity: r.severity ?? rule.meta.severity,
          message: r.message,
          location: r.location,
          object: r.object,
          evidence: r.evidence ?? {},
          fix: r.fix ?? rule.meta.fix,
        }),
    });
  }
  return findings;
}
