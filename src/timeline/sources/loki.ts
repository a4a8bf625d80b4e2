/**
 * Grafana Loki over its HTTP API: GET /loki/api/v1/query_range with direction=forward, paging by
 * moving `start` to the last timestamp seen. `start` is inclusive, so the next page repeats the
 * entries at that nanosecond; those are recognised (stream + timestamp + line) and skipped.
 * Each line is parsed again when it recognisably is a known format (klog, logfmt, journal JSON…);
 * otherwise it is kept whole with Loki's timestamp. Errors end the read with a problem, never a throw.
 */
import type { LogRecord, UnparsedLine } from '../record.ts';
import { parseZone, YearGuess } from './clock.ts';
import { LINE_FORMATS } from './formats/index.ts';
import type { LineParser, ParseContext } from './formats/types.ts';

export interface LokiOptions {
  /** Base URL of Loki (or its gateway), e.g. http://loki.monitoring:3100 */
  url: string;
  /** LogQL log query, e.g. {host="k8s-cp-01"} |= "nfs" */
  query: string;
  /** Window, epoch milliseconds (start inclusive, end exclusive). */
  since: number;
  until: number;
  /** Entries per request (Loki's default max_entries_limit_per_query is 5000). */
  limit?: number;
  fetch?: typeof fetch;
  onProblem?: (p: UnparsedLine) => void;
  /** Per-request timeout, ms (default 30 s). */
  timeoutMs?: number;
  /** Zone for zone-less times inside lines (default UTC). */
  timezone?: string;
}

const HOST_LABELS = ['host', 'hostname', 'node_name', 'instance'];
const PROGRAM_LABELS = ['app', 'job', 'container', 'unit'];
/** Formats whose parsers emit exactly one record per line with no cross-line state. */
const STATELESS = new Set([
  'journal-json',
  'syslog-5424',
  'coredns',
  'cri',
  'short-iso',
  'short-full',
  'syslog-3164',
  'dmesg-T',
  'klog',
  'logfmt',
]);

interface Entry {
  ts: bigint;
  line: string;
  labels: Record<string, string>;
  key: string;
}

function firstLabel(labels: Record<string, string>, names: string[]): string | undefined {
  for (const n of names) if (labels[n]) return labels[n];
  return undefined;
}

/** Loki answers errors as text or as {"status":"error","error":"…"}; either way, its words. */
async function errorText(res: Response): Promise<string> {
  const body = (await res.text()).trim();
  try {
    const j = JSON.parse(body) as { error?: string; message?: string };
    return j.error ?? j.message ?? body;
  } catch {
    return body.slice(0, 500);
  }
}

export async function* readLoki(opts: LokiOptions): AsyncGenerator<LogRecord> {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.url.replace(/\/+$/, '');
  const limit = opts.limit ?? 5000;
  const problem = (reason: string): void => opts.onProblem?.({ file: base, line: 0, reason });
  const zone = parseZone(opts.timezone);
  const ctx: ParseContext = {
    file: base,
    zone,
    years: new YearGuess(opts.until, zone),
    now: opts.until,
    bootTime: undefined,
    detected: 'loki',
    problem: (p) => opts.onProblem?.(p),
  };
  const parsers: Array<[(t: string) => boolean, LineParser]> = LINE_FORMATS.filter((f) =>
    STATELESS.has(f.name),
  ).map((f) => [f.test, f.create(ctx)]);
  let start = BigInt(Math.floor(opts.since)) * 1_000_000n;
  const end = BigInt(Math.floor(opts.until)) * 1_000_000n;
  let boundary = new Set<string>();
  let n = 0;
  const tmp: LogRecord[] = [];

  while (start < end) {
    const params = new URLSearchParams({
      query: opts.query,
      start: start.toString(),
      end: end.toString(),
      limit: String(limit),
      direction: 'forward',
    });
    const url = `${base}/loki/api/v1/query_range?${params}`;
    let body: unknown;
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
      if (!res.ok) {
        problem(`Loki query_range: HTTP ${res.status}: ${await errorText(res)}`);
        return;
      }
      body = await res.json();
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? `timed out after ${opts.timeoutMs ?? 30_000} ms` : e.message;
      problem(`Loki query_range: ${why}`);
      return;
    }
    const entries = entriesOf(body);
    if (typeof entries === 'string') {
      problem(`Loki query_range: ${entries}`);
      return;
    }
    let fresh = 0;
    for (const e of entries) {
      if (e.ts === start && boundary.has(e.key)) continue;
      fresh++;
      n++;
      yield toRecord(e, n, ctx, parsers, tmp);
    }
    if (entries.length < limit) return;
    const lastTs = entries[entries.length - 1]!.ts;
    if (lastTs === start && fresh === 0) {
      problem(`Loki query_range: more than ${limit} entries share timestamp ${start}ns; some were skipped`);
      start = lastTs + 1n;
      boundary = new Set();
      continue;
    }
    const next = lastTs === start ? boundary : new Set<string>();
    for (const e of entries) if (e.ts === lastTs) next.add(e.key);
    boundary = next;
    start = lastTs;
  }
}

function entriesOf(body: unknown): Entry[] | string {
  const b = body as { status?: string; data?: { resultType?: string; result?: unknown } };
  if (b?.status !== 'success') return `unexpected response status ${JSON.stringify(b?.status)}`;
  if (b.data?.resultType !== 'streams' || !Array.isArray(b.data.result)) {
    return `expected resultType "streams" (a log query), got ${JSON.stringify(b.data?.resultType)}`;
  }
  const out: Entry[] = [];
  for (const s of b.data.result as Array<{ stream?: Record<string, string>; values?: unknown }>) {
    const labels = s.stream ?? {};
    const labelKey = JSON.stringify(Object.entries(labels).sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0)));
    if (!Array.isArray(s.values)) continue;
    for (const v of s.values as unknown[]) {
      if (!Array.isArray(v) || typeof v[0] !== 'string' || typeof v[1] !== 'string') continue;
      const ts = BigInt(v[0]);
      out.push({ ts, line: v[1], labels, key: `${v[0]}\u0000${labelKey}\u0000${v[1]}` });
    }
  }
  // Streams come separately; forward order across all of them is by timestamp (stable within one).
  out.sort((a, c) => (a.ts < c.ts ? -1 : a.ts > c.ts ? 1 : 0));
  return out;
}

function toRecord(
  e: Entry,
  n: number,
  ctx: ParseContext,
  parsers: Array<[(t: string) => boolean, LineParser]>,
  tmp: LogRecord[],
): LogRecord {
  const lokiTime = Number(e.ts / 1_000_000n);
  const host = firstLabel(e.labels, HOST_LABELS);
  const program = firstLabel(e.labels, PROGRAM_LABELS);
  let parsed: LogRecord | undefined;
  for (const [test, p] of parsers) {
    tmp.length = 0;
    if (test(e.line) && p.parse(e.line, n, tmp) && tmp.length === 1) {
      parsed = tmp[0];
      break;
    }
  }
  tmp.length = 0;
  const fields: Record<string, string> = { ...e.labels, ...parsed?.fields };
  // A line's own time wins only when it is complete; klog/3164 lack the year, Loki's stamp does not.
  const exact = parsed?.timeQuality === 'exact' && parsed.time !== null;
  return {
    time: exact ? parsed!.time : lokiTime,
    timeQuality: 'exact',
    host: parsed?.host ?? host,
    program: parsed?.program ?? program,
    pid: parsed?.pid,
    message: parsed?.message ?? e.line,
    source: { file: ctx.file, line: n },
    format: parsed ? `loki/${parsed.format}` : 'loki',
    fields,
  };
}
