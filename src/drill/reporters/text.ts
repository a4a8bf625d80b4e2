/** Plain-text plan and verdict, for a terminal. */
import { formatLocation } from '../../core/location.ts';
import type { DrillReport, Observations } from '../model.ts';
import { formatEndpoint } from '../target.ts';

export function renderPlanText(r: DrillReport): string {
  const p = r.plan;
  const out: string[] = [];
  out.push(`faultline drill ${p.scenario} → ${formatEndpoint(p.target)} for ${p.durationSeconds} s`);
  out.push(`  ${p.summary}`, '');
  out.push(
    `Fault: nftables table inet ${p.table}; the kernel removes each element after ${p.durationSeconds} s, even if the drill dies`,
  );
  for (const e of p.elements) out.push(`  ${e.describe}  (set ${e.set}, timeout ${e.timeoutSeconds}s)`);
  out.push('', 'Touches on this node:');
  if (p.mounts.length + p.resolvers.length + p.workloads.length === 0)
    out.push('  nothing found in the inputs');
  // Options are in the prediction (effective values, with defaults); here only what is touched.
  for (const m of p.mounts) out.push(`  ${m.label}  (${formatLocation(m.location)})`);
  for (const res of p.resolvers)
    out.push(
      `  resolver ${res.address} — ${res.role}${res.location ? `  (${formatLocation(res.location)})` : ''}`,
    );
  for (const w of p.workloads)
    out.push(`  ${w.ref} — ${w.via}${w.location ? `  (${formatLocation(w.location)})` : ''}`);
  out.push('', 'Prediction:');
  for (const pr of p.predictions) {
    const exp =
      pr.expect === 'errors' || pr.expect === 'alerts'
        ? `${pr.expect}${pr.withinSeconds === undefined ? '' : ` within ${pr.withinSeconds} s`}`
        : pr.expect;
    out.push(`  ${pr.kind.padEnd(8)} ${pr.subject}: ${exp}`);
    out.push(`           because ${pr.because}${pr.evidence ? ` (${formatLocation(pr.evidence)})` : ''}`);
    for (const c of pr.caveats) out.push(`           caveat: ${c}`);
  }
  if (p.notes.length) {
    out.push('', 'Notes:');
    for (const n of p.notes) out.push(`  ${n}`);
  }
  if (p.refusals.length) {
    out.push('', '`run` would refuse:');
    for (const f of p.refusals) out.push(`  ${f.message}${f.override ? ` (override: ${f.override})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

export function observationSummary(o: Observations): string[] {
  const base = o.dstate.find((s) => s.t < 0)?.value ?? 0;
  const maxD = Math.max(0, ...o.dstate.filter((s) => s.t >= 0).map((s) => s.value));
  return [
    `D-state tasks: max ${maxD} during the drill (${base} before)`,
    `kernel hung-task / "not responding" lines: ${o.hungTaskLines.length}${o.hungTaskLines.length ? ` (first: ${o.hungTaskLines[0]!.line})` : ''}`,
    o.expiredAfterSeconds === undefined
      ? 'fault: NOT seen expiring — run `faultline drill stop`'
      : `fault: removed by the kernel ${o.expiredAfterSeconds.toFixed(1)} s after injection (duration ${o.durationSeconds} s)`,
  ];
}

export function renderVerdictText(r: DrillReport): string {
  if (!r.verdict || !r.observations) return renderPlanText(r);
  const v = r.verdict;
  const count = (s: string) => v.items.filter((i) => i.status === s).length;
  const out = [
    `faultline drill ${r.plan.scenario} → ${formatEndpoint(r.plan.target)}: ${v.pass ? 'PASS' : 'FAIL'} — ${count('pass')} as predicted, ${count('fail')} not, ${count('unobserved')} unobserved`,
    '',
  ];
  for (const i of v.items) {
    out.push(`${i.status.toUpperCase().padEnd(10)} ${i.subject}`);
    out.push(`           predicted: ${i.predicted}`);
    out.push(`           observed:  ${i.observed}`);
  }
  out.push('', ...observationSummary(r.observations));
  return `${out.join('\n')}\n`;
}
