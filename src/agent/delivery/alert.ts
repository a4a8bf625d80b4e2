/**
 * The seam between detection (harness, state machine) and delivery (sinks, outbox).
 * Detection decides WHAT to say; delivery gets it to every sink without DNS: at least once, with the
 * alert id as the idempotency key receivers dedupe on (see delivery/README.md for the exact claim).
 */

export type AlertKind =
  /** A check changed state (ok → degraded → failed, or back). */
  | 'transition'
  /** Several signals together make a node freeze likely: the pre-reboot warning. */
  | 'node-at-risk'
  /** Sent once after start when the previous run ended uncleanly or the node rebooted. */
  | 'previous-boot';

export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface Alert {
  /** Unique per alert occurrence (e.g. a ULID/UUID); the outbox and receivers dedupe on it. */
  id: string;
  /** What the alert is about, stable across occurrences: e.g. "mount:/var/lib/loki". Rate limits use it. */
  key: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** firing while the condition holds; resolved when it cleared. */
  status: 'firing' | 'resolved';
  /** Node name (spec.nodeName / hostname). */
  node: string;
  /** The check id (TargetResult.check) or "node". */
  check: string;
  /** One line: "NFS server 10.0.0.5:2049 accepts TCP but does not answer RPC". */
  title: string;
  /** A few sentences an operator can act on. */
  message: string;
  /** The measurements behind it (latencies, counts, reasons, previous states). */
  evidence: Record<string, unknown>;
  /** ISO 8601 time the condition was detected. */
  createdAt: string;
}

/** What detection hands alerts to. Implemented by delivery/ (outbox + sinks). */
export interface AlertQueue {
  /** Durable once the promise resolves: survives a crash of the agent from then on. */
  enqueue(alert: Alert): Promise<void>;
  /** Alerts not yet delivered to every sink. */
  pending(): number;
  /** Stop sending; pending alerts stay in the outbox for the next start. */
  close(): Promise<void>;
}
