import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError, FaultlineError } from '../core/errors.ts';
import { EXIT_OK, EXIT_USAGE } from '../core/exit-codes.ts';
import { buildTimeline } from '../timeline/build.ts';
import { FORMATS, isReportFormat, render } from '../timeline/reporters/index.ts';
import type { CliIO } from './io.ts';

const USAGE = `Usage: faultline timeline [FILE…|-] [options]

Turn node logs into a post-mortem timeline: events, incidents, cascade chain, evidence.
Inputs (any mix, merged by time; '-' is stdin; .gz is read transparently): journalctl -o json/export/
short/short-iso/short-precise, .journal files, syslog, kern.log, dmesg, klog, logfmt, CoreDNS,
kubectl get events -o json, kubectl describe Events tables.

Options:
  --format F       markdown (default), json or html
  -o, --output F   write the report to F instead of stdout
  --year N         year for lines that carry none (syslog, journalctl -o short)
  --timezone TZ    zone for lines that carry none (default UTC; IANA name or ±HH:MM)
  --host H         keep only events of host H
  --now T          when relative ages were taken (kubectl describe "2m24s"): ISO time or epoch
                   seconds; default each file's modification time
  --loki URL       also read from Grafana Loki (query_range), with:
  --query Q          LogQL query, e.g. '{host="k8s-cp-01"}'
  --since T          start: ISO time, epoch seconds, or a duration back from now (90m, 6h, 2d); default 1h
  --until T          end: same forms; default now
  -h, --help       this help

Exit: 0 report written; 2 usage error or no input could be read.
`;

/** Inputs at least this large get a progress bar when stderr is a terminal (env FAULTLINE_PROGRESS_MIN_BYTES). */
const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

/** `2025-11-14T03:00:00Z`, epoch seconds, or `90m`/`6h`/`2d` back from now. */
export function parseTimeArg(name: string, v: string, now: number): number {
  const rel = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(v);
  if (rel)
    return now - Number(rel[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[rel[2] as 's' | 'm' | 'h' | 'd'];
  if (/^\d{9,11}(?:\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new FaultlineError(
      'usage',
      `${name}: cannot read '${v}' as a time (ISO 8601, epoch seconds or 90m/6h/2d)`,
    );
  return t;
}

function progressBar(io: CliIO): ((read: number, total: number | undefined) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  const min = Number(io.env.FAULTLINE_PROGRESS_MIN_BYTES ?? PROGRESS_MIN_BYTES);
  let lastDraw = 0;
  let drawn = false;
  return (read, total) => {
    if (total === undefined || total < min) return;
    const now = Date.now();
    if (now - lastDraw < 200 && read < total) return;
    lastDraw = now;
    const frac = Math.min(1, read / total);
    const width = 30;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    io.stderr.write(
      `\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${(read / 1048576).toFixed(0)}/${(total / 1048576).toFixed(0)} MiB`,
    );
    drawn = true;
    if (read >= total && drawn) {
      io.stderr.write('\r\x1b[K');
      drawn = false;
    }
  };
}

export async function runTimeline(argv: string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    if (err instanceof FaultlineError) throw err;
    throw new FaultlineError('usage', `${describeError(err)}\n\n${USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const format = v.format ?? 'markdown';
  if (!isReportFormat(format))
    throw new FaultlineError('usage', `--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  const year = v.year === undefined ? undefined : Number(v.year);
  if (year !== undefined && !(Number.isInteger(year) && year >= 1970 && year <= 9999))
    throw new FaultlineError('usage', `--year must be a year like 2025, not '${v.year}'`);
  if (v.loki === undefined && (v.query !== undefined || v.since !== undefined || v.until !== undefined))
    throw new FaultlineError('usage', '--query/--since/--until need --loki URL');
  if (v.loki !== undefined && v.query === undefined)
    throw new FaultlineError('usage', '--loki needs --query (a LogQL selector)');
  if (positionals.length === 0 && v.loki === undefined)
    throw new FaultlineError('usage', `no input: give log files, '-' for stdin, or --loki\n\n${USAGE}`);

  const now = Date.now();
  const until = v.until === undefined ? now : parseTimeArg('--until', v.until, now);
  const since = v.since === undefined ? until - 3.6e6 : parseTimeArg('--since', v.since, now);
  if (v.loki !== undefined && since >= until)
    throw new FaultlineError('usage', '--since must be before --until');

  const { report, unreadable, records } = await buildTimeline({
    inputs: positionals,
    cwd: io.cwd,
    year,
    timezone: v.timezone,
    host: v.host,
    now: v.now === undefined ? undefined : parseTimeArg('--now', v.now, now),
    stdin: io.stdin,
    loki: v.loki === undefined ? undefined : { url: v.loki, query: v.query!, since, until },
    onProgress: progressBar(io),
    parallelMinBytes: io.env.FAULTLINE_PARALLEL_MIN_BYTES
      ? Number(io.env.FAULTLINE_PARALLEL_MIN_BYTES)
      : undefined,
  });
  for (const f of unreadable) io.stderr.write(`faultline timeline: ${describeProblem(report.errors, f)}\n`);
  if (records === 0 && unreadable.length > 0 && unreadable.length >= positionals.length + (v.loki ? 1 : 0)) {
    io.stderr.write('faultline timeline: no input could be read\n');
    return EXIT_USAGE;
  }
  const text = render(report, format);
  if (v.output !== undefined) {
    await writeFile(resolve(io.cwd, v.output), text);
    io.stderr.write(
      `faultline timeline: wrote ${v.output} (${report.stats.events} events, ${report.incidents.length} incidents)\n`,
    );
  } else {
    io.stdout.write(text);
  }
  return EXIT_OK;
}

function describeProblem(errors: { file: string; line: number; reason: string }[], file: string): string {
  const e = errors.find((x) => x.line === 0 && (x.file === file || file.endsWith(x.file)));
  return e ? `${e.file}: ${e.reason}` : `${file}: unreadable`;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      year: { type: 'string' },
      timezone: { type: 'string' },
      host: { type: 'string' },
      now: { type: 'string' },
      loki: { type: 'string' },
      query: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
