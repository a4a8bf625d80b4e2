/**
 * Timeline throughput: a large synthetic `journalctl -o short-iso` journal with rare incident lines
 * (~1 per 10 000), read in ONE run by
 *   - `grep -E -c` with the signature catalog's patterns (the baseline: what an operator would do), and
 *   - `faultline timeline --format json` itself (a worker thread takes the second half of a large file),
 *   - and readers over byte ranges in one process per core (readInput → TimelineBuilder), for comparison.
 * Reports MB/s of each, the ratio to grep, and faultline's peak RSS (from the child's own resourceUsage).
 * Size: BENCH_TIMELINE_MB (default 1024); format: BENCH_TIMELINE_FORMAT=short-iso (default) or syslog
 * (RFC 3164, as rsyslog writes /var/log/syslog). The file is written under bench/out/ and deleted afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { TimelineBuilder } from '../src/timeline/analyze.ts';
import { PARALLEL_MIN_BYTES, planSplit } from '../src/timeline/parallel/index.ts';
import { CATALOG, CATALOG_ERE, Classifier } from '../src/timeline/signatures/index.ts';
import { parseZone } from '../src/timeline/sources/clock.ts';
import { readInput, readLogBatches } from '../src/timeline/sources/index.ts';

const SELF = fileURLToPath(import.meta.url);
const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));

/** Everyday node noise in the shapes a k3s node's journal has; none of it may match the catalog. */
const NOISE: Array<[string, string]> = [
  [
    'k3s[1224]',
    'I1114 02:41:07.118201    1224 log.go:245] http: TLS handshake error from 10.42.0.1:51422: EOF',
  ],
  [
    'k3s[1224]',
    'I1114 02:41:07.301552    1224 trace.go:236] Trace[1208472741]: "Update" accept:application/vnd.kubernetes.protobuf, */* (14-Nov-2025 02:41:06.782) (total time: 518ms):',
  ],
  [
    'k3s[1231]',
    'time="2025-11-14T02:41:07Z" level=info msg="Connecting to proxy" url="wss://172.16.0.10:6443/v1-k3s/connect"',
  ],
  [
    'containerd[987]',
    'time="2025-11-14T02:41:07.512344821Z" level=info msg="ImageCreate event name:\\"sha256:5f1f5\\" labels:{key:\\"io.cri-containerd.image\\" value:\\"managed\\"}"',
  ],
  ['kernel', 'cilium_vxlan: Caught tx_queue_len zero misconfig'],
  ['kernel', 'IPv6: ADDRCONF(NETDEV_CHANGE): lxc8a1d2f3b4c5e: link becomes ready'],
  ['systemd[1]', 'run-containerd-runc-k8s.io-3f9a1b2c.mount: Deactivated successfully.'],
  ['systemd[1]', 'Started cri-containerd-8c2e4f6a.scope - libcontainer container 8c2e4f6a.'],
  ['sshd[40210]', 'Accepted publickey for ops from 172.16.0.2 port 52144 ssh2: ED25519 SHA256:Yp8q3v'],
  ['CRON[40211]', '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)'],
  ['systemd-resolved[612]', 'Clock change detected. Flushing caches.'],
  [
    'kubelet[1231]',
    'I1114 02:41:08.000112    1231 kubelet_getters.go:218] "Pod status updated" pod="kube-system/coredns-7b98449c4-8x2kq" status="Running"',
  ],
];

function incidentLines(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const s of CATALOG) {
    for (const ex of s.examples) {
      if (typeof ex === 'string') out.push([s.program ? 'kernel' : 'k3s[1224]', ex]);
      else out.push([ex.program, ex.message]);
    }
  }
  return out.filter(([, m]) => !m.includes('\n'));
}

/** The plain-text format to generate: `journalctl -o short-iso` (default) or RFC 3164 syslog. */
const FORMAT = (process.env.BENCH_TIMELINE_FORMAT ?? 'short-iso') as 'short-iso' | 'syslog';
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

let lastSecond = -1;
let lastStamp = '';
/** The line's stamp, formatted once per second (generation speed matters at 1 GB). */
function stamp(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s !== lastSecond) {
    lastSecond = s;
    const d = new Date(s * 1000);
    lastStamp =
      FORMAT === 'syslog'
        ? `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`
        : `${d.toISOString().slice(0, 19)}+0000`;
  }
  return lastStamp;
}

/** Write `bytes` of journal; returns lines and how many incident lines went in. */
function generate(file: string, bytes: number): { lines: number; incidents: number } {
  const classifier = new Classifier();
  for (const [, m] of NOISE) {
    if (classifier.mayMatch(m) && classifier.classify(m))
      throw new Error(`noise line matches the catalog: ${m}`);
  }
  const incidents = incidentLines();
  const fd = openSync(file, 'w');
  let written = 0;
  let lines = 0;
  let hits = 0;
  let t = Date.UTC(2025, 10, 14, 0, 0, 0);
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed % n;
  };
  while (written < bytes) {
    let chunk = '';
    while (chunk.length < 1 << 20) {
      t += rand(40);
      lines++;
      let prog: string;
      let msg: string;
      if (rand(10_000) === 0) {
        [prog, msg] = incidents[rand(incidents.length)]!;
        hits++;
      } else [prog, msg] = NOISE[rand(NOISE.length)]!;
      chunk += `${stamp(t)} k8s-cp-01 ${prog}: ${msg}\n`;
    }
    const buf = Buffer.from(chunk);
    writeFileSync(fd, buf);
    written += buf.length;
  }
  closeSync(fd);
  return { lines, incidents: hits };
}

interface ChildResult {
  records: number;
  events: number;
  unparsed: number;
  ms: number;
  /** Largest single process. */
  maxRssMB: number;
  /** All processes together (one per worker plus the coordinator). */
  sumRssMB: number;
  workers: number;
}

/** Byte ranges that start at line boundaries, one per worker. */
function splitRanges(file: string, parts: number): Array<{ start: number; end: number }> {
  const size = statSync(file).size;
  const cuts = [0];
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(64 * 1024);
  for (let i = 1; i < parts; i++) {
    let pos = Math.floor((size * i) / parts);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) {
        pos = size;
        break;
      }
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) {
        pos += nl + 1;
        break;
      }
      pos += n;
    }
    cuts.push(pos);
  }
  closeSync(fd);
  cuts.push(size);
  return cuts.slice(0, -1).map((start, i) => ({ start, end: cuts[i + 1]! }));
}

/** One reader: records → TimelineBuilder; counts come back. */
async function analyseRange(file: string, range?: { start: number; end: number }) {
  const builder = new TimelineBuilder({ maxEvents: 1_000_000 });
  const opts = {
    year: 2025,
    onProblem: (p: { file: string; line: number; reason: string }) => builder.addProblem(p),
  };
  const batches = range ? readInput(file, parseZone('UTC'), opts, range) : readLogBatches([file], opts);
  for await (const batch of batches) for (const r of batch) builder.addRecord(r);
  const report = builder.finish([file]);
  return { records: report.stats.records, events: report.stats.events, unparsed: report.stats.unparsed };
}

async function child(file: string, workers: number): Promise<void> {
  const t0 = performance.now();
  let totals = { records: 0, events: 0, unparsed: 0 };
  let rssSumMB = 0;
  let rssMaxMB = 0;
  if (workers <= 1) totals = await analyseRange(file);
  else {
    // One process per core (tsx's loader does not reach worker threads); each reads its byte range.
    const parts = await Promise.all(
      splitRanges(file, workers).map(
        (range) =>
          new Promise<typeof totals & { rssMB: number }>((resolve, reject) => {
            const p = spawn(
              process.execPath,
              ['--import', 'tsx', SELF, '--range', file, String(range.start), String(range.end)],
              { stdio: ['ignore', 'pipe', 'inherit'] },
            );
            let out = '';
            p.stdout.on('data', (c: Buffer) => {
              out += c.toString();
            });
            p.on('close', (code) =>
              code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`range reader exit ${code}`)),
            );
          }),
      ),
    );
    for (const p of parts) {
      totals.records += p.records;
      totals.events += p.events;
      totals.unparsed += p.unparsed;
      rssSumMB += p.rssMB;
      rssMaxMB = Math.max(rssMaxMB, p.rssMB);
    }
  }
  const own = process.resourceUsage().maxRSS / 1024;
  const result: ChildResult = {
    ...totals,
    ms: performance.now() - t0,
    maxRssMB: workers <= 1 ? own : rssMaxMB,
    sumRssMB: workers <= 1 ? own : rssSumMB + own,
    workers,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function rangeChild(file: string, start: number, end: number): Promise<void> {
  const r = await analyseRange(file, { start, end });
  process.stdout.write(`${JSON.stringify({ ...r, rssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

interface Timed {
  wallS: number;
  cpuS: number;
  maxRssMB: number;
  stdout: string;
}

/**
 * Run a command under /usr/bin/time: wall and CPU seconds (user+sys, children included) and max RSS.
 * CPU time is reported next to wall time because this machine is shared: wall time measures the load
 * of other work as much as ours, CPU time measures our work.
 */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const out = `${OUT_DIR}time-${process.pid}.txt`;
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out, cmd, ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 20,
  });
  if (r.error) throw new Error(`/usr/bin/time (Debian package time) is needed: ${r.error.message}`);
  const [wall, user, sys, rssKB] = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .at(-1)!
    .split(' ')
    .map(Number);
  rmSync(out, { force: true });
  if (r.status !== 0 && !(cmd === 'grep' && r.status === 1))
    throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return { wallS: wall!, cpuS: user! + sys!, maxRssMB: rssKB! / 1024, stdout: r.stdout };
}

function runGrep(file: string): Timed & { count: number } {
  const t = timed('grep', ['-E', '-c', ...CATALOG_ERE.flatMap((p) => ['-e', p]), file], {
    ...process.env,
    LC_ALL: 'C',
  });
  return { ...t, count: Number(t.stdout.trim()) };
}

/** Several reader processes over byte ranges (one per core), each reading → TimelineBuilder. */
function runFaultline(file: string, workers: number): Timed & ChildResult {
  const t = timed(process.execPath, ['--import', 'tsx', SELF, '--child', file, String(workers)]);
  return { ...t, ...(JSON.parse(t.stdout.trim().split('\n').at(-1)!) as ChildResult) };
}

/**
 * The command an operator runs: `faultline timeline --format json FILE` (one process; for a large
 * short-iso file it reads the second half on a worker thread, so `workers` counts threads).
 */
function runCli(file: string): Timed & ChildResult {
  const report = `${OUT_DIR}timeline-bench-report.json`;
  const t = timed(process.execPath, [
    '--import',
    'tsx',
    CLI,
    'timeline',
    '--format',
    'json',
    '--year',
    '2025',
    '--output',
    report,
    file,
  ]);
  const r = JSON.parse(readFileSync(report, 'utf8')) as {
    stats: { records: number; events: number; unparsed: number };
  };
  rmSync(report, { force: true });
  const threads = availableParallelism() > 1 && planSplit(file, PARALLEL_MIN_BYTES) ? 2 : 1;
  return { ...t, ...r.stats, ms: t.wallS * 1000, sumRssMB: t.maxRssMB, workers: threads };
}

/** Best of n runs (least disturbed by other load), runs interleaved so both sides see the same machine. */
function best<T extends Timed>(runs: T[]): T & { cpuBestS: number } {
  const byWall = [...runs].sort((a, b) => a.wallS - b.wallS)[0]!;
  return { ...byWall, cpuBestS: Math.min(...runs.map((r) => r.cpuS)) };
}

/** Read the file once so neither side pays for the disk. */
async function warmPageCache(file: string): Promise<void> {
  const fh = await open(file, 'r');
  const warm = Buffer.alloc(1 << 20);
  while ((await fh.read(warm, 0, warm.length)).bytesRead > 0);
  await fh.close();
}

/** `runs` interleaved rounds of grep, the CLI and (on more than one core) the range readers, then the CLI's start-up alone. */
function measure(file: string, runs: number, cores: number) {
  const g: Array<ReturnType<typeof runGrep>> = [];
  const one: Array<ReturnType<typeof runFaultline>> = [];
  const many: Array<ReturnType<typeof runFaultline>> = [];
  for (let i = 0; i < runs; i++) {
    g.push(runGrep(file));
    one.push(runCli(file));
    if (cores > 1) many.push(runFaultline(file, cores));
  }
  // Fixed cost of starting the CLI (node + tsx + imports) on a one-line input, for reading the ratios.
  const tiny = `${OUT_DIR}timeline-bench-tiny.log`;
  writeFileSync(tiny, '2025-11-14T02:57:18+0000 k8s-cp-01 kernel: hello\n');
  const startup = runCli(tiny);
  rmSync(tiny, { force: true });
  return { grep: best(g), f1: best(one), fN: many.length > 0 ? best(many) : undefined, startup };
}

/** The figures written to bench/out/timeline-<format>.json. */
function resultOf(
  sizeMB: number,
  gen: { lines: number; incidents: number },
  cores: number,
  runs: number,
  m: ReturnType<typeof measure>,
) {
  const { grep, f1, fN, startup } = m;
  const rate = (s: number): number => Math.round(sizeMB / s);
  const side = (f: typeof f1) => ({
    workers: f.workers,
    records: f.records,
    events: f.events,
    unparsed: f.unparsed,
    wallSeconds: f.wallS,
    cpuSeconds: f.cpuBestS,
    mbPerSecWall: rate(f.wallS),
    mbPerSecCpu: rate(f.cpuBestS),
    ratioToGrepWall: +(grep.wallS / f.wallS).toFixed(3),
    ratioToGrepCpu: +(grep.cpuBestS / f.cpuBestS).toFixed(3),
    peakRssMB: Math.round(f.maxRssMB),
    sumRssMB: Math.round(f.sumRssMB),
  });
  return {
    format: FORMAT,
    sizeMB: Math.round(sizeMB),
    lines: gen.lines,
    incidentLines: gen.incidents,
    cores,
    runs,
    loadAverage: loadavg().map((l) => +l.toFixed(2)),
    grep: {
      patterns: CATALOG_ERE.length,
      matchedLines: grep.count,
      wallSeconds: grep.wallS,
      cpuSeconds: grep.cpuBestS,
      mbPerSecWall: rate(grep.wallS),
      mbPerSecCpu: rate(grep.cpuBestS),
    },
    cliStartup: {
      wallSeconds: startup.wallS,
      cpuSeconds: startup.cpuS,
      rssMB: Math.round(startup.maxRssMB),
    },
    faultlineCli: { command: 'faultline timeline --format json', ...side(f1) },
    faultlineParallel: fN && side(fN),
    targets: { ratioToGrep: 0.5, peakRssMB: 256 },
  };
}

function printSummary(result: ReturnType<typeof resultOf>, startup: Timed): void {
  const { cores, runs } = result;
  console.log(
    `grep -E -c (${CATALOG_ERE.length} patterns): ${result.grep.mbPerSecWall} MB/s wall, ${result.grep.mbPerSecCpu} MB/s CPU; ${result.grep.matchedLines} lines`,
  );
  for (const [label, f] of [
    [
      `faultline timeline --format json (1 process, ${result.faultlineCli.workers} thread(s))`,
      result.faultlineCli,
    ],
    [`readers over byte ranges (${cores} processes)`, result.faultlineParallel],
  ] as const) {
    if (!f) continue;
    console.log(
      `${label}: ${f.mbPerSecWall} MB/s wall = ${f.ratioToGrepWall}× grep; ${f.mbPerSecCpu} MB/s CPU = ${f.ratioToGrepCpu}× grep; ${f.records} records, ${f.events} events; peak RSS ${f.peakRssMB} MB per process (${f.sumRssMB} MB together)`,
    );
  }
  console.log(
    `CLI start-up alone: ${startup.wallS} s wall, ${startup.cpuS.toFixed(2)} s CPU (included above)`,
  );
  console.log(
    `load average ${result.loadAverage.join(' ')} on ${cores} cores; best of ${runs}; wrote bench/out/timeline-${FORMAT}.json`,
  );
}

async function main(): Promise<void> {
  const mb = Number(process.env.BENCH_TIMELINE_MB ?? 1024);
  const runs = Number(process.env.BENCH_TIMELINE_RUNS ?? 3);
  const file = `${OUT_DIR}timeline-bench.log`;
  const g0 = performance.now();
  const gen = generate(file, mb * 1024 * 1024);
  const sizeMB = statSync(file).size / (1024 * 1024);
  console.log(
    `generated ${sizeMB.toFixed(0)} MB, ${gen.lines} lines, ${gen.incidents} incident lines in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
  );
  try {
    await warmPageCache(file);
    const cores = availableParallelism();
    const m = measure(file, runs, cores);
    const result = resultOf(sizeMB, gen, cores, runs, m);
    writeFileSync(`${OUT_DIR}timeline-${FORMAT}.json`, `${JSON.stringify(result, null, 2)}\n`);
    printSummary(result, m.startup);
  } finally {
    rmSync(file, { force: true });
  }
}

if (process.argv[2] === '--generate') {
  // For profiling by hand: write the synthetic journal and keep it.
  console.log(generate(process.argv[3]!, Number(process.env.BENCH_TIMELINE_MB ?? 1024) * 1024 * 1024));
} else if (process.argv[2] === '--range') {
  await rangeChild(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
} else if (process.argv[2] === '--child') {
  await child(process.argv[3]!, Number(process.argv[4] ?? 1));
} else {
  await main();
}
