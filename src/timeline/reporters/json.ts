import type { TimelineReport } from '../correlate/types.ts';
import { isoTime } from './format.ts';

/**
 * The machine-readable report: `{version, events[…], incidents[…], chain[…], errors[…], stats}`. Times
 * are ISO 8601 UTC or null; `source.line` is 1-based in its input. Seconds-since-boot times are given as
 * `relativeMs` because they are not wall-clock times.
 */
export function renderJson(report: TimelineReport): string {
  const byId = report.events;
  const out = {
    version: report.version,
    generatedAt: report.generatedAt,
    inputs: report.inputs,
    events: report.events.map((e) => ({
      id: e.id,
      time: isoTime(e.time, e.timeQuality),
      ...(e.timeQuality === 'relative' && e.time !== null ? { relativeMs: e.time } : {}),
      timeQuality: e.timeQuality,
      host: e.host ?? null,
      program: e.program ?? null,
      family: e.family,
      layer: e.layer,
      families: e.families,
      layers: e.layers,
      reporter: e.reporter,
      object: e.object ?? null,
      signature: e.signature,
      severity: e.severity,
      fields: e.fields,
      summary: e.summary,
      source: e.source,
      message: e.message,
      folded: e.folded,
    })),
    incidents: report.incidents.map((i) => ({
      ...i,
      start: isoTime(i.start),
      end: isoTime(i.end),
      rebootAt: isoTime(i.rebootAt),
      nfsOutages: i.nfsOutages.map((o) => ({ ...o, start: isoTime(o.start), end: isoTime(o.end) })),
    })),
    chain: report.chain.map((l) => ({
      ...l,
      cause: { ...l.cause, time: isoTime(l.cause.time, byId[l.cause.event]?.timeQuality) },
      firstEvidence: {
        ...l.firstEvidence,
        time: isoTime(l.firstEvidence.time, byId[l.firstEvidence.event]?.timeQuality),
      },
    })),
    hypotheses: report.hypotheses,
    errors: report.errors,
    stats: report.stats,
    inferred: report.inferred,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
