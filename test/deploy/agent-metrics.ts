/**
 * The agent's metric families, as agreed between the agent engineers (harness, probes, delivery).
 * The dashboard and alert rules may only use these (plus Prometheus' own `up` and `ALERTS`).
 * test/deploy/grafana.test.ts also scrapes a real running agent to confirm the names it exports.
 */
export const AGENT_METRICS: readonly string[] = [
  // harness
  'faultline_probe_success',
  'faultline_probe_duration_seconds',
  'faultline_check_state',
  'faultline_node_at_risk',
  'faultline_build_info',
  // probes
  'faultline_nfs_server_up',
  'faultline_nfs_rpc_null_duration_seconds',
  'faultline_nfs_server_failure_reason',
  'faultline_mount_responsive',
  'faultline_mount_probe_stuck',
  'faultline_mount_probe_duration_seconds',
  'faultline_dstate_processes',
  'faultline_kernel_hung_task_reports_total',
  'faultline_pressure_io_stalled_ratio',
  'faultline_nfs_rpc_retransmissions_total',
  'faultline_nfs_rpc_major_timeouts_total',
  'faultline_dns_up',
  'faultline_dns_lookup_duration_seconds',
  'faultline_dns_lookups_total',
  'faultline_cilium_healthy',
  'faultline_cilium_component_healthy',
  'faultline_cilium_api_rate_limited_total',
  // delivery
  'faultline_alert_outbox_pending',
  'faultline_alerts_sent_total',
  'faultline_alert_delivery_failures_total',
  'faultline_alert_outbox_oldest_age_seconds',
];

/** Prometheus' own series that the rules and dashboard use. */
export const PROMETHEUS_SERIES: readonly string[] = ['up', 'ALERTS'];

/**
 * Metric names referenced by a PromQL expression: identifiers that are followed by a selector, a
 * range or stand alone — minus functions, aggregations, keywords and label names inside braces/by().
 */
export function metricNames(expr: string): string[] {
  // Drop string literals, label matchers and grouping clauses; what is left names series or functions.
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, '[]');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const next = stripped.slice(m.index! + word.length).trimStart()[0];
    if (next === '(') continue; // a function or aggregation
    if (/^(and|or|unless|offset|bool|inf|nan)$/i.test(word)) continue;
    names.add(word);
  }
  return [...names];
}
