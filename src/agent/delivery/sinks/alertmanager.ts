/**
 * Alertmanager v2 API (`POST <url>/api/v2/alerts`, body: a list of postableAlert — labels, annotations,
 * startsAt, endsAt, generatorURL). Alertmanager identifies an alert by its label set, so labels carry
 * only what identifies the condition (no id, no times); the id goes into an annotation.
 * The severity label is part of that identity, yet a check's severity changes (degraded → failed) and
 * detection marks a recovery `info`. So every post states the check's whole condition: the current
 * severity firing and every other severity resolved (a resolved alert: all of them resolved). That
 * closes the right alert without remembering what was sent before — also after a restart.
 * Firing alerts are re-posted every resendInterval (worker.ts), or Alertmanager would end them.
 */
import { z } from 'zod';
import { duration } from '../../duration.ts';
import type { Alert } from '../alert.ts';
import { baseSinkShape, defineSink, jsonRequest } from './sink.ts';

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names match [a-zA-Z_][a-zA-Z0-9_]*');

export const alertmanagerSink = defineSink({
  type: 'alertmanager',
  schema: z.strictObject({
    type: z.literal('alertmanager'),
    ...baseSinkShape,
    /** Link back to the source shown by Alertmanager (e.g. this node's faultline /metrics or a dashboard). */
    generatorURL: z.url({ protocol: /^https?$/ }).optional(),
    /** Extra labels on every alert (e.g. cluster: prod); the alert's own labels win on a clash. */
    labels: z.record(labelName, z.string()).default({}),
    /**
     * Firing alerts are re-posted this often until resolved: Alertmanager ends an alert nobody
     * re-sends after its resolve_timeout (default 5m), as Prometheus does with its own resends.
     */
    resendInterval: duration().default(60_000),
  }),
  render(alert, config) {
    // Relative resolution keeps a route prefix in `url` (http://host/alertmanager → …/alertmanager/api/v2/alerts).
    const base = new URL(config.url);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    const body = postableAlerts(alert, config.labels, config.generatorURL);
    return jsonRequest(alert, new URL('api/v2/alerts', base), config.headers, body);
  },
});

const SEVERITIES: Alert['severity'][] = ['critical', 'warning', 'info'];

/** The alert itself, then a resolved sibling for every other severity of the same check. */
export function postableAlerts(
  alert: Alert,
  extraLabels: Record<string, string>,
  generatorURL: string | undefined,
): Record<string, unknown>[] {
  const resolved: Alert = { ...alert, status: 'resolved' };
  return [
    postableAlert(alert, extraLabels, generatorURL),
    ...SEVERITIES.filter((s) => s !== alert.severity).map((severity) =>
      postableAlert({ ...resolved, severity }, extraLabels, generatorURL),
    ),
  ];
}

export function postableAlert(
  alert: Alert,
  extraLabels: Record<string, string>,
  generatorURL: string | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    labels: {
      ...extraLabels,
      alertname: alertName(alert),
      severity: alert.severity,
      node: alert.node,
      check: alert.check,
      kind: alert.kind,
    },
    annotations: {
      summary: alert.title,
      description: alert.message,
      faultline_alert_id: alert.id,
      faultline_key: alert.key,
      evidence: JSON.stringify(alert.evidence),
    },
    startsAt: alert.createdAt,
  };
  // Firing: no endsAt, Alertmanager applies its resolve_timeout. Resolved: endsAt = when it cleared.
  if (alert.status === 'resolved') out.endsAt = alert.createdAt;
  if (generatorURL !== undefined) out.generatorURL = generatorURL;
  return out;
}

/**
 * A stable, readable alertname: "FaultlineNodeAtRisk", "FaultlinePreviousBoot", or from the check's
 * family for transitions ("mount:/var/lib/loki" → "FaultlineMount", "nfs-server:…" → "FaultlineNfsServer").
 */
export function alertName(alert: Alert): string {
  const family = alert.kind === 'transition' ? (alert.check.split(':')[0] ?? alert.check) : alert.kind;
  const pascal = family
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return `Faultline${pascal || 'Check'}`;
}
