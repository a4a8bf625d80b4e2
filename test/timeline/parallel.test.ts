import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { TimelineBuilder } from '../../src/timeline/analyze.ts';
import { parallelSplits, planSplit } from '../../src/timeline/parallel/index.ts';
import { readLogBatches, type SplitPoint } from '../../src/timeline/sources/index.ts';
import { captureIO } from '../helpers/io.ts';

// The seed's hung-task report (banner + call trace), its NFS line and its boot: real kernel shapes.
const SEED = readFileSync(resolve('test/fixtures/timeline/seed/kernel.short-iso.log'), 'utf8').split('\n');
const TRACE = SEED.slice(3, 22).map((l) => l.slice(l.indexOf(' ') + 1));
const NFS = SEED[2]!.slice(SEED[2]!.indexOf(' ') + 1);
const NOISE = [
  'k8s-cp-01 systemd[1]: run-containerd-runc-k8s.io-3f9a1b2c.mount: Deactivated successfully.',
  'k8s-cp-01 k3s[1224]: I1114 02:41:07.118201    1224 log.go:245] http: TLS handshake error from 10.42.0.1:51422: EOF',
  'k8s-cp-01 sshd[40210]: Accepted publickey for ops from 172.16.0.2 port 52144 ssh2: ED25519 SHA256:Yp8q3v',
];
const T0 = Date.UTC(2025, 10, 14, 1, 0, 0);
const stamp = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}+0000`;
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
/** RFC 3164 as rsyslog writes it: `Nov 14 02:57:18`. */
const syslogStamp = (ms: number): string => {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
};

/** A short-iso journal builder (or RFC 3164 syslog): one line per second unless told otherwise. */
class Journal {
  lines: string[] = [];
  t = T0;
  constructor(readonly format: (ms: number) => string = stamp) {}
  noise(n: number): this {
    for (let i = 0; i < n; i++) this.line(NOISE[i % NOISE.length]!);
    return this;
  }
  line(rest: string, stepMs = 1000): this {
    this.t += stepMs;
    this.lines.push(`${this.format(this.t)} ${rest}`);
    return this;
  }
  raw(text: string): this {
    this.lines.push(text);
    return this;
  }
  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'faultline-timeline-parallel-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Pad `head` with noise after `tail` until the file's middle falls at their junction. */
function balanced(
  name: string,
  head: Journal,
  tail: (j: Journal) => void,
): { file: string; junction: number } {
  const headText = head.text();
  const rest = new Journal(head.format);
  rest.t = head.t;
  tail(rest);
  while (Buffer.byteLength(rest.text()) < Buffer.byteLength(headText)) rest.noise(1);
  const file = join(dir, name);
  writeFileSync(file, headText + rest.text());
  return { file, junction: Buffer.byteLength(headText) };
}

const REPORT_NOW = () => new Date('2025-11-15T00:00:00Z');

/** The report read by one thread, and with the worker split; and whether the worker's half was taken. */
async function bothWays(file: string, year?: number) {
  const one = new TimelineBuilder({ now: REPORT_NOW });
  for await (const b of readLogBatches([file], { year, onProblem: (p) => one.addProblem(p) }))
    for (const r of b) one.addRecord(r);
  const two = new TimelineBuilder({ now: REPORT_NOW });
  const parallel = parallelSplits([file], (f) => f, two, {
    year,
    timezone: undefined,
    now: undefined,
    minBytes: 1,
  });
  const split = parallel.splits.get(file);
  assert.ok(split, 'a large short-iso file is split');
  let tookOver: boolean | undefined;
  const watched: SplitPoint = {
    at: split.at,
    handOff: async (s) => {
      tookOver = await split.handOff(s);
      return tookOver;
    },
  };
  try {
    for await (const b of readLogBatches([file], {
      year,
      onProblem: (p) => two.addProblem(p),
      split: new Map([[file, watched]]),
    }))
      for (const r of b) two.addRecord(r);
  } finally {
    parallel.close();
  }
  return { one: one.finish([file]), two: two.finish([file]), tookOver, at: split.at };
}

describe('parallel reading of one large journal (worker thread for the second half)', () => {
  it('a clean cut: the worker half is taken and the report is identical, line numbers included', async () => {
    const head = new Journal().noise(1500).line(NFS).noise(300);
    for (const l of TRACE) head.line(l, 0);
    head.raw('garbage that is no log line').noise(1800);
    const { file } = balanced('clean.log', head, (j) => {
      j.noise(1500).line(NFS).noise(10).raw('    an indented continuation of the line before');
      for (const l of TRACE) j.line(l, 0);
      j.noise(200).raw('-- Boot 8f1b2c3d4e5f40718293a4b5c6d7e8f9 --');
      j.line(SEED[23]!.slice(SEED[23]!.indexOf(' ') + 1), 3_600_000)
        .raw('more garbage')
        .noise(500);
    });
    const r = await bothWays(file);
    assert.equal(r.tookOver, true);
    assert.ok(r.at > 64 * 1024 * 2, 'several 64 KiB chunks before the cut');
    assert.deepEqual(r.two, r.one);
    // The halves really both contributed: events from before and after the cut, with absolute lines.
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const e of r.two.events)
      assert.ok(lines[e.source.line - 1]!.includes(e.message.slice(0, 20)), e.message);
    assert.ok(r.two.events.some((e) => e.signature === 'hung-task.blocked' || e.family === 'hung-task'));
    assert.equal(r.two.stats.unparsed, 2);
    assert.equal(r.two.stats.records, r.one.stats.records);
  });

  it('a cut inside a hung-task call trace: the worker half is discarded, the main thread reads on', async () => {
    const head = new Journal().noise(3000);
    for (const l of TRACE.slice(0, 10)) head.line(l, 0);
    const { file, junction } = balanced('trace.log', head, (j) => {
      for (const l of TRACE.slice(10)) j.line(l, 0);
    });
    const r = await bothWays(file);
    assert.ok(Math.abs(r.at - junction) < 600, `cut ${r.at} near the trace at ${junction}`);
    assert.equal(r.tookOver, false);
    assert.deepEqual(r.two, r.one);
    const banner = r.one.events.find((e) => e.message.includes('blocked for more than'));
    assert.ok(banner && banner.folded.length >= 15, 'the whole trace is folded into the banner');
  });

  it('events then 20 minutes of silence around the cut: discarded (the gap check needs both halves)', async () => {
    // Every line near the middle follows 20 silent minutes, and every other one is an event.
    const silent = (j: Journal): void => {
      for (let i = 0; i < 10; i++) j.line(NFS, 20 * 60_000).line(NOISE[0]!, 20 * 60_000);
    };
    const head = new Journal().noise(3000);
    silent(head);
    const { file } = balanced('gap.log', head, silent);
    const r = await bothWays(file);
    assert.equal(r.tookOver, false);
    assert.deepEqual(r.two, r.one);
    assert.ok(r.one.events.filter((e) => e.signature === 'reboot.log-gap').length >= 10);
  });

  it('small, compressed or non-splittable files are not split', async () => {
    const small = join(dir, 'small.log');
    writeFileSync(small, new Journal().noise(10).text());
    assert.equal(planSplit(small, 64 * 1024 * 1024), undefined);
    const klog = join(dir, 'klog.log');
    writeFileSync(
      klog,
      'I1114 02:41:07.118201    1224 log.go:245] http: TLS handshake error from 10.42.0.1:51422: EOF\n'.repeat(
        5000,
      ),
    );
    assert.equal(planSplit(klog, 1), undefined);
  });

  it('faultline timeline --format json prints the same report with and without the worker', async () => {
    const head = new Journal().noise(2000).line(NFS).noise(1500);
    const { file } = balanced('cli.log', head, (j) => {
      j.noise(1000).line(NFS);
      for (const l of TRACE) j.line(l, 0);
    });
    const run = async (env: NodeJS.ProcessEnv) => {
      const io = captureIO({ env, cwd: dir });
      const code = await main(['timeline', '--format', 'json', 'cli.log'], io);
      assert.equal(code, 0, io.err());
      const report = JSON.parse(io.out()) as { generatedAt?: string };
      delete report.generatedAt;
      return report;
    };
    const split = await run({ FAULTLINE_PARALLEL_MIN_BYTES: '1' });
    const single = await run({});
    assert.deepEqual(split, single);
    assert.equal(planSplit(file, 1)?.format, 'short-iso');
  });

  it('RFC 3164 syslog is split too: identical report, the worker half taken', async () => {
    const head = new Journal(syslogStamp).noise(1500).line(NFS).noise(1500);
    const { file } = balanced('syslog.log', head, (j) => {
      j.noise(1000).line(NFS).noise(300);
      for (const l of TRACE) j.line(l, 0);
      j.noise(200);
    });
    assert.equal(planSplit(file, 1)?.format, 'syslog-3164');
    const r = await bothWays(file, 2025);
    assert.equal(r.tookOver, true);
    assert.deepEqual(r.two, r.one);
    assert.equal(r.two.events.filter((e) => e.signature === 'nfs.server-not-responding').length, 2);
  });

  it('RFC 3164 syslog cut where the year wraps (Dec → Jan): the worker half is discarded', async () => {
    const head = new Journal(syslogStamp);
    head.t = Date.UTC(2025, 11, 31, 23, 0, 0);
    head.noise(3000);
    const { file } = balanced('wrap.log', head, (j) => {
      j.t = Date.UTC(2026, 0, 1, 0, 0, 0);
      j.line(NFS).noise(100);
    });
    const r = await bothWays(file, 2025);
    assert.equal(r.tookOver, false);
    assert.deepEqual(r.two, r.one);
    assert.equal(r.one.events[0]?.time, Date.UTC(2026, 0, 1, 0, 0, 1));
  });
});
