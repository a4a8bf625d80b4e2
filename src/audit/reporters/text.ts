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
  return `${lines.join('\n')}\n`;
}

function indent(text: string, pad: string): string[] {
  return text.split('\n').map((l) => `${pad}${l}`);
}
