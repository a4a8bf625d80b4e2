/**
 * The seam between log sources and analysis: every input format becomes a stream of LogRecords.
 * Sources parse; signatures classify; correlation orders. Nothing downstream knows the input format.
 */

export type TimeQuality =
  /** Absolute time with a year and zone from the line itself. */
  | 'exact'
  /** Absolute, but the year (RFC 3164) or zone was inferred. */
  | 'inferred'
  /** Seconds since boot (dmesg) that could not be anchored to wall time: order is right, times are not. */
  | 'relative'
  /** No time at all: only the line order is known. */
  | 'none';

/** Where a line came from: the input as named (a path, "-" for stdin, a Loki URL) and the 1-based line. */
export interface SourceRef {
  file: string;
  line: number;
}

/**
 * The one log record type of the timeline: parsers build it (formats/types.ts `record`), events carry
 * its fields (correlate/types.ts TimelineEvent picks them), nothing redefines them.
 */
export interface LogRecord {
  /** Milliseconds since the Unix epoch (UTC); for 'relative', milliseconds since boot; null for 'none'. */
  time: number | null;
  timeQuality: TimeQuality;
  host: string | undefined;
  /** Emitting program or unit, e.g. "kernel", "k3s", "kubelet", "coredns". */
  program: string | undefined;
  pid: number | undefined;
  /** The message without the format's prefix (timestamp, host, program). */
  message: string;
  source: SourceRef;
  /** Which parser produced it, e.g. "journal-json", "syslog-3164", "klog". */
  format: string;
  /** Extra structured fields the format carries (journal fields, logfmt keys, event reason/object). */
  fields?: Record<string, string>;
}

/** A line no parser understood: counted and reported, never fatal. */
export interface UnparsedLine {
  file: string;
  /** 1-based; 0 = about the whole input. */
  line: number;
  reason: string;
  /** With line 0: the input broke part-way (truncated .gz, journal export); what came before was read. */
  partial?: boolean;
}
