/**
 * `--format json`: `{version: 1, results[…], ranking|null, errors[…], stats}`. Absent values are null,
 * locations are `{file, line|null}` (1-based lines); the shape is BLAST_JSON_SCHEMA.
 */
import type { SourceLocation } from '../../core/location.ts';
import type { BlastReport, UnitRef } from '../model.ts';

const loc = (l: SourceLocation) => ({ file: l.file, line: l.line ?? null });
const unit = (u: UnitRef) => ({ id: u.id, kind: u.kind, name: u.name, namespace: u.namespace ?? null });

export function toJson(report: BlastReport): unknown {
  return {
    version: report.version,
    results: report.results.map((r) => ({
      target: r.target,
      summary: r.summary,
      used: r.used,
      nodeFreeze: r.nodeFreeze,
      freezeReason: r.freezeReason ?? null,
      nodes: r.nodes,
      exposures: r.exposures.map((e) => ({ label: e.label, detail: e.detail, location: loc(e.location) })),
      victims: r.victims.map((v) => ({
        unit: unit(v.unit),
        role: v.role,
        impact: v.impact,
        how: v.how,
        certainty: v.certainty,
        via: v.via,
        location: loc(v.location),
        nodes: v.nodes,
        hostnames: v.hostnames,
      })),
      hostnames: r.hostnames.map((h) => ({ ...h, location: loc(h.location) })),
      order: r.order,
      notes: r.notes,
      graph: {
        nodes: r.graph.nodes.map((n) => ({
          id: n.id,
          kind: n.kind,
          label: n.label,
          impact: n.impact ?? null,
        })),
        edges: r.graph.edges.map((e) => ({
          from: e.from,
          to: e.to,
          label: e.label ?? null,
          dashed: e.dashed === true,
        })),
      },
    })),
    ranking: report.ranking ?? null,
    errors: report.errors.map((e) => ({ file: e.file, line: e.line ?? null, message: e.message })),
    stats: report.stats,
  };
}

export function renderJson(report: BlastReport): string {
  return `${JSON.stringify(toJson(report), null, 2)}\n`;
}
