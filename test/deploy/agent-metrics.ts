/**
 * The agent's metric families, as agreed between the agent engineers (harness, probes, delivery).
 * The dashboard and alert rules may only use these (plus Prometheus' own `up` and `ALERTS`).
 * test/deploy/grafana.test.ts also scrapes a real running agent to confirm the names it exports.
 */
/** Metric family → who exports it: the harness, delivery, or the probe of that name. */
export const METRIC_OWNERS: Readonly<Record<string, string>> = {
  faultline_probe_success: 'harness',
  faultline_probe_duration_seconds: 'harness',
  faultline_check_state: 'harness',
  faultline_node_at_risk: 'harness',
  faultline_build_info: 'harness',
  faultline_probe_runs_skipped_total: 'harness',
  faultline_nfs_server_up: 'nfs',
  faultline_nfs_rpc_null_duration_seconds: 'nfs',
  faultline_nfs_server_failure_reason: 'nfs',
  faultline_mount_responsive: 'mounts',
  faultline_mount_probe_stuck: 'mounts',
  faultline_mount_probe_duration_seconds: 'mounts',
  faultline_dstate_processes: 'dstate',
  faultline_kernel_hung_task_reports_total: 'dstate',
  faultline_pressure_io_stalled_ratio: 'dstate',
  faultline_nfs_rpc_retransmissions_total: 'dstate',
  faultline_nfs_rpc_major_timeouts_total: 'dstate',
  faultline_dns_up: 'dns',
  faultline_dns_lookup_duration_seconds: 'dns',
  faultline_dns_lookups_total: 'dns',
  faultline_cilium_healthy: 'cilium',
  faultline_cilium_component_healthy: 'cilium',
  faultline_cilium_api_rate_limited_total: 'cilium',
  faultline_alert_outbox_pending: 'delivery',
  faultline_alerts_sent_total: 'delivery',
  faultline_alert_delivery_failures_total: 'delivery',
  faultline_alert_outbox_oldest_age_seconds: 'delivery',
  faultline_alerts_suppressed_total: 'delivery',
  faultline_alert_outbox_memory_only: 'delivery',
  faultline_alert_outbox_load_skipped: 'delivery',
  // The agent's own health (src/agent/runtime/self-health.ts), kept apart from the node's checks.
  faultline_agent_problem: 'harness',
  faultline_state_dir_writable: 'harness',
  faultline_state_dir_write_errors_total: 'harness',
  faultline_probe_results_discarded_total: 'harness',
  faultline_journal_load_skipped: 'harness',
};

export const AGENT_METRICS: readonly string[] = Object.keys(METRIC_OWNERS);

/** Families that exist only with optional config (cilium.metricsUrl: Cilium's own metrics endpoint). */
export const OPTIONAL_METRICS: ReadonlySet<string> = new Set(['faultline_cilium_api_rate_limited_total']);

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
