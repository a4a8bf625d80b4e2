/**
 * `--format text`: findings grouped by severity, most severe first; each with file:line, rule id, the
 * object, why, and the fix (multi-line fixes such as a `kubectl patch` keep their lines).
 * Colour only when asked (the CLI asks when stdout is a TTY and NO_COLOR is unset).
 */
import { formatLocation } from '../../core/location.ts';
import { SEVERITIES, type Severity } from '../../core/severity.ts';
import type { AuditResult } from '../engine.ts';

export interface TextOptions {
  color: boolean;
}

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '\x1b[1;35m',
  high: '\x1b[1;31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';

export function renderText(r: AuditResult, opts: TextOptions): string {
  const c = (code: string, s: string): string => (opts.color ? `${code}${s}${RESET}` : s);
  const lines: string[] = [];
  for (const sev of [...SEVERITIES].reverse()) {
    const group = r.findings.filter((f) => f.severity === sev);
    if (group.length === 0) continue;
    lines.push(c(SEVERITY_COLOR[sev], `${sev.toUpperCase()} (${group.length})`));
    for (const f of group) {
      const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
      lines.push(`  ${c(BOLD, formatLocation(f.location))}  ${c(SEVERITY_COLOR[sev], f.ruleId)}  ${obj}`);
      lines.push(...indent(f.message, '    '));
      lines.push(...indent(`fix: ${f.fix}`, '    ').map((l) => c(DIM, l)));
      lines.push('');
    }
  }
  if (r.errors.length > 0) {
    lines.push(c(SEVERITY_COLOR.high, `INPUT ERRORS (${r.errors.length})`));
    for (const e of r.errors) lines.push(`  ${formatLocation(e)}: ${e.message}`);
    lines.push('');
  }
  const warnings = r.warnings ?? [];
  if (warnings.length > 0) {
    lines.push(c(SEVERITY_COLOR.medium, `WARNINGS (${warnings.length})`));
    for (const e of warnings) lines.push(`  ${formatLocation(e)}: ${e.message}`);
    lines.push('');
  }
  const s = r.summary;
  const counts = [...SEVERITIES]
    .reverse()
    .filter((k) => s.bySeverity[k] > 0)
    .map((k) => `${s.bySeverity[k]} ${k}`)
    .join(', ');
  lines.push(
    `${s.findings === 0 ? 'No findings' : `${s.findings} finding${s.findings === 1 ? '' : 's'} (${counts})`}; ` +
      `${s.errors} input error${s.errors === 1 ? '' : 's'}; ${s.filesScanned} file${s.filesScanned === 1 ? '' : 's'}, ` +
      `${s.objects} object${s.objects === 1 ? '' : 's'} scanned; node error budget ${s.budgetSeconds} s (${s.budgetSource}).`,
  );
  const skipped = skippedNotes(s);
  if (skipped !== '') lines.push(skipped);
  return `${lines.join('\n')}\n`;
}

/** What the walk left out, so a quiet report is not mistaken for a clean repo. */
export function skippedNotes(s: AuditResult['summary']): string {
  const notes: string[] = [];
  if (s.templatesSkipped > 0)
    notes.push(
      `${s.templatesSkipped} Helm/Jinja/Flux-variable template document${s.templatesSkipped === 1 ? '' : 's'} in ${s.templateFiles} file${s.templateFiles === 1 ? '' : 's'} skipped: not YAML until rendered (render them first, e.g. helm template … | faultline audit -)`,
    );
  if (s.dotEntriesSkipped > 0)
    notes.push(
      `${s.dotEntriesSkipped} dot-director${s.dotEntriesSkipped === 1 ? 'y/file' : 'ies/files'} not walked (.git, .github…)`,
    );
  if (s.excluded > 0)
    notes.push(`${s.excluded} path${s.excluded === 1 ? '' : 's'} excluded (--exclude, .faultlineignore)`);
  if (s.warnings > 0) notes.push(`${s.warnings} warning${s.warnings === 1 ? '' : 's'}`);
  return notes.length === 0 ? '' : `Skipped: ${notes.join('; ')}.`;
}

function indent(text: string, pad: string): string[] {
  return text.split('\n').map((l) => `${pad}${l}`);
}
