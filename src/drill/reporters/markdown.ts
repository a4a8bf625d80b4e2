/** Markdown for the staging report: one table of prediction vs observation, then what else was seen. */
import { formatLocation } from '../../core/location.ts';
import type { DrillReport } from '../model.ts';
import { formatEndpoint } from '../target.ts';
import { observationSummary } from './text.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(r: DrillReport): string {
  const p = r.plan;
  const out = [
    `## Drill: ${p.scenario} → ${formatEndpoint(p.target)} (${p.durationSeconds} s)`,
    '',
    `${p.summary}. Injected as kernel-expiring nftables elements (table \`inet ${p.table}\`).`,
    '',
  ];
  if (r.verdict) {
    out.push(`**Verdict: ${r.verdict.pass ? 'PASS' : 'FAIL'}**`, '');
    out.push('| | Item | Predicted | Observed |', '|---|---|---|---|');
    for (const i of r.verdict.items)
      out.push(
        `| ${i.status === 'pass' ? '✅' : i.status === 'fail' ? '❌' : '➖'} ${i.status} | ${cell(i.subject)} | ${cell(i.predicted)} | ${cell(i.observed)} |`,
      );
    if (r.observations) out.push('', ...observationSummary(r.observations).map((l) => `- ${l}`));
  } else {
    out.push('| Item | Prediction | Because |', '|---|---|---|');
    for (const pr of p.predictions)
      out.push(
        `| ${cell(pr.subject)} | ${pr.expect}${pr.withinSeconds === undefined ? '' : ` within ${pr.withinSeconds} s`} | ${cell(pr.because)}${pr.evidence ? ` (\`${formatLocation(pr.evidence)}\`)` : ''} |`,
      );
  }
  if (p.refusals.length) out.push('', ...p.refusals.map((f) => `- refused: ${f.message}`));
  return `${out.join('\n')}\n`;
}
