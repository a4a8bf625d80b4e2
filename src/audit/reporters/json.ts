/**
 * `--format json`. The shape is a contract for scripts; bump AUDIT_JSON_VERSION on any breaking change
 * (renamed or removed field, changed meaning). Adding a field is not breaking.
 *
 * Version 1:
 *   { version: 1,
 *     findings: [{ ruleId, severity, message, location: {file, line|null},
 *                  object: {kind, namespace|null, name}, evidence: {...}, fix }],
 *     errors:   [{ file, line|null, message }],
 *     warnings: [{ file, line|null, message }],            (added: duplicate keys, bounded reads)
 *     summary:  { findings, bySeverity{info..critical}, errors, filesScanned, objects, rules,
 *                 budgetSeconds, budgetSource,
 *                 warnings, templatesSkipped, templateFiles, dotEntriesSkipped, excluded } }  (added)
 */
import type { AuditResult } from '../engine.ts';

export const AUDIT_JSON_VERSION = 1;

export function renderJson(r: AuditResult): string {
  const doc = {
    version: AUDIT_JSON_VERSION,
    findings: r.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      location: { file: f.location.file, line: f.location.line ?? null },
      object: { kind: f.object.kind, namespace: f.object.namespace ?? null, name: f.object.name },
      evidence: f.evidence,
      fix: f.fix,
    })),
    errors: r.errors.map((e) => ({ file: e.file, line: e.line ?? null, message: e.message })),
    warnings: (r.warnings ?? []).map((e) => ({ file: e.file, line: e.line ?? null, message: e.message })),
    summary: r.summary,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
