/** The terminal report: per target, what it is, how things fail, who goes down, which hostnames are lost. */
import { formatLocation } from '../../core/location.ts';
import { type BlastReport, type BlastResult, type Impact, LOST, type Victim } from '../model.ts';
import { visibleControls } from './escape.ts';

const IMPACT_WORDS: Record<Impact, string> = {
  hang: 'hangs',
  'node-freeze': 'down with the node',
  'io-errors': 'I/O errors',
  'cannot-start': 'cannot start',
  degraded: 'degraded',
};

export function renderText(report: BlastReport): string {
  const out: string[] = [];
  if (report.ranking) {
    out.push('Dependencies by blast radius (worst first):');
    for (const r of report.ranking)
      out.push(
        `  ${String(r.rank).padStart(2)}. ${r.target.id.padEnd(28)} node freeze: ${r.nodeFreeze.padEnd(8)} hostnames lost: ${r.hostnamesLost}  workloads lost: ${r.workloadsLost}  hit: ${r.workloadsHit}`,
      );
    out.push('');
  }
  for (const r of report.results) out.push(...renderResult(r), '');
  for (const e of report.errors)
    out.push(`input error: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  const s = report.stats;
  out.push(
    `${s.objects} objects from ${s.filesScanned} file(s); ${s.units} workload(s), ${s.routes} route(s); node budget ${s.budgetSeconds} s.`,
  );
  // Names come from the inputs: control bytes are shown as pictures, never sent to the terminal.
  return visibleControls(`${out.join('\n')}\n`);
}

function renderResult(r: BlastResult): string[] {
  const out = [`${r.target.id} — ${r.summary}`];
  if (!r.used) return out;
  if (r.exposures.length > 0) {
    out.push('  Depends on it:');
    for (const e of r.exposures) out.push(`    ${e.label}  (${formatLocation(e.location)})`);
  }
  if (r.nodeFreeze !== 'none')
    out.push(`  Node freeze: ${r.nodeFreeze} — ${r.freezeReason ?? ''}`, `  Nodes: ${r.nodes.text}`);
  const direct = r.victims.filter((v) => v.role !== 'co-located');
  const colocated = r.victims.filter((v) => v.role === 'co-located');
  if (direct.length > 0) {
    out.push(`  ${r.target.kind === 'nfs' ? 'Direct victims' : 'Affected'} (${direct.length}):`);
    for (const v of direct) out.push(...victimLines(v, true));
  }
  if (colocated.length > 0) {
    out.push(`  Down with the node — co-located, likely (${colocated.length}):`);
    for (const v of colocated) out.push(...victimLines(v, false));
  }
  const lost = r.hostnames.filter((h) => LOST.has(h.impact));
  const hit = r.hostnames.filter((h) => !LOST.has(h.impact));
  if (lost.length > 0) {
    out.push(`  Hostnames lost (${lost.length}):`);
    for (const h of lost)
      out.push(
        `    ${h.hostname}  ${h.impact === 'node-freeze' ? 'through node freeze' : IMPACT_WORDS[h.impact]} — ${h.via}`,
      );
  }
  if (hit.length > 0) {
    out.push(`  Hostnames hit (${hit.length}):`);
    for (const h of hit) out.push(`    ${h.hostname}  ${IMPACT_WORDS[h.impact]} — ${h.via}`);
  }
  if (r.order.length > 0) {
    out.push('  What breaks first:');
    for (const [i, o] of r.order.entries()) out.push(`    ${i + 1}. ${o}`);
  }
  for (const n of r.notes) out.push(`  Note: ${n}`);
  return out;
}

function victimLines(v: Victim, detail: boolean): string[] {
  const where = v.nodes === null ? '' : ` on ${v.nodes.length > 0 ? v.nodes.join(', ') : 'no running pod'}`;
  const lines = [
    `    ${v.unit.id}${where} — ${IMPACT_WORDS[v.impact]}${v.certainty === 'likely' ? ' (likely)' : ''}`,
  ];
  if (detail) {
    lines.push(`      ${v.how}`);
    for (const via of v.via) lines.push(`      via ${via}`);
    lines.push(`      at ${formatLocation(v.location)}`);
  }
  return lines;
}
