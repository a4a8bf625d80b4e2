import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.ts';
import { captureIO } from '../helpers/io.ts';

const SEED = resolve('test/fixtures/timeline/seed');
const KERNEL = readFileSync(join(SEED, 'kernel.short-iso.log'), 'utf8');

async function timeline(args: string[], opts: Parameters<typeof captureIO>[0] = {}) {
  const io = captureIO({ cwd: SEED, ...opts });
  const code = await main(['timeline', ...args], io);
  return { code, out: io.out(), err: io.err(), io };
}

describe('faultline timeline CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-timeline-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--help prints the options and exits 0', async () => {
    const r = await timeline(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Usage: faultline timeline \[FILE…\|-\]/);
    for (const o of [
      '--format',
      '--output',
      '--year',
      '--timezone',
      '--host',
      '--loki',
      '--query',
      '--since',
      '--until',
    ])
      assert.ok(r.out.includes(o), o);
  });

  for (const [args, message] of [
    [[], /no input: give log files/],
    [['--format', 'pdf', 'x.log'], /--format must be one of markdown, json, html, not 'pdf'/],
    [['--year', 'soon', 'x.log'], /--year must be a year/],
    [['--query', '{job="x"}', 'x.log'], /--query\/--since\/--until need --loki URL/],
    [['--loki', 'http://127.0.0.1:9'], /--loki needs --query/],
    [['--bogus', 'x.log'], /^faultline timeline: unknown option '--bogus'\n/],
    [
      ['--loki', 'http://127.0.0.1:9', '--query', '{a="b"}', '--since', 'yesterday'],
      /--since: cannot read 'yesterday'/,
    ],
    [['--now', 'later', 'x.log'], /--now: cannot read 'later'/],
  ] as const) {
    it(`usage error exits 2: ${args.join(' ') || '(no arguments)'}`, async () => {
      const r = await timeline([...args]);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
      assert.equal(r.out, '');
    });
  }

  it('exits 2 when no input can be read, naming each', async () => {
    const r = await timeline(['nope-1.log', 'nope-2.log']);
    assert.equal(r.code, 2);
    assert.match(r.err, /nope-1\.log: cannot read input/);
    assert.match(r.err, /nope-2\.log: cannot read input/);
    assert.match(r.err, /no input could be read/);
  });

  it('goes on when one input is unreadable and lists it under errors', async () => {
    const r = await timeline(['--format', 'json', 'kernel.short-iso.log', 'nope.log']);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out);
    assert.equal(json.stats.unreadableInputs, 1);
    assert.equal(json.errors[0].file, 'nope.log');
    assert.ok(json.events.length > 0);
    // The readable input is read in full: the same 5 events as the stdin run below, all from that file.
    assert.equal(json.events.length, 5);
    assert.deepEqual(
      [...new Set(json.events.map((e: { source: { file: string } }) => e.source.file))],
      ['kernel.short-iso.log'],
    );
    assert.match(r.err, /nope\.log: cannot read input/);
  });

  it('reads stdin for "-" and gzip transparently, and counts unparsed lines', async () => {
    const gz = join(dir, 'kernel.log.gz');
    writeFileSync(gz, gzipSync(KERNEL));
    const r = await timeline(['--format', 'json', '-', gz], { stdin: KERNEL });
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    const sources = new Set(json.events.map((e: { source: { file: string } }) => e.source.file));
    assert.deepEqual([...sources].sort(), ['-', gz].sort());
    assert.equal(json.events.filter((e: { source: { file: string } }) => e.source.file === '-').length, 5);
  });

  it('--output writes the file (html here), --host filters', async () => {
    const out = join(dir, 'report.html');
    const r = await timeline([
      '--year',
      '2025',
      '--format',
      'html',
      '-o',
      out,
      '--host',
      'k8s-cp-01',
      'kernel.short-iso.log',
      'k3s-cni.short.log',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.match(r.err, /wrote .*report\.html \(7 events, 1 incidents\)/);
    assert.match(readFileSync(out, 'utf8'), /^<!doctype html>/);
    const none = await timeline(['--format', 'json', '--host', 'other-node', 'kernel.short-iso.log']);
    assert.equal(JSON.parse(none.out).events.length, 0);
  });

  it('draws a progress bar on a terminal for large inputs, never otherwise', async () => {
    const big = join(dir, 'big.log');
    copyFileSync(join(SEED, 'kernel.short-iso.log'), big);
    const env = { FAULTLINE_PROGRESS_MIN_BYTES: '1000' };
    const tty = captureIO({ cwd: SEED, env });
    (tty.stderr as { isTTY?: boolean }).isTTY = true;
    assert.equal(await main(['timeline', big], tty), 0);
    assert.match(tty.err(), /\[#+\.*\] +\d+% /);
    const pipe = await timeline([big], { env });
    assert.equal(pipe.err, '');
  });

  describe('--loki (a local server speaking the query_range API)', () => {
    let server: Server;
    let url = '';
    const queries: URLSearchParams[] = [];
    const T = Date.parse('2025-11-14T02:57:18Z');
    before(async () => {
      server = createServer((req, res) => {
        const u = new URL(req.url ?? '/', 'http://x');
        if (u.pathname !== '/loki/api/v1/query_range') {
          res.writeHead(404).end('not found');
          return;
        }
        queries.push(u.searchParams);
        const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'success',
            data: {
              resultType: 'streams',
              result: [
                {
                  stream: { host: 'k8s-cp-01', unit: 'kernel' },
                  values: [[ns(T), 'nfs: server truenas.home.lex.la not responding, still trying']],
                },
                {
                  stream: { host: 'k8s-cp-01', unit: 'k3s.service' },
                  values: [[ns(T + 82_000), 'dial tcp: lookup quay.io: Try again']],
                },
              ],
              stats: {},
            },
          }),
        );
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((ok) => server.close(() => ok())));

    it('merges Loki entries into the timeline with the window asked for', async () => {
      const r = await timeline([
        '--format',
        'json',
        '--loki',
        url,
        '--query',
        '{host="k8s-cp-01"}',
        '--since',
        '2025-11-14T02:50:00Z',
        '--until',
        '2025-11-14T03:10:00Z',
      ]);
      assert.equal(r.code, 0, r.err);
      const json = JSON.parse(r.out);
      assert.deepEqual(
        json.events.map((e: { time: string; family: string; host: string }) => [e.time, e.family, e.host]),
        [
          ['2025-11-14T02:57:18.000Z', 'nfs', 'k8s-cp-01'],
          ['2025-11-14T02:58:40.000Z', 'dns', 'k8s-cp-01'],
        ],
      );
      assert.equal(json.chain[0].from, 'storage');
      assert.equal(json.chain[0].to, 'dns');
      const q = queries.at(-1)!;
      assert.equal(q.get('query'), '{host="k8s-cp-01"}');
      assert.equal(q.get('start'), `${Date.parse('2025-11-14T02:50:00Z')}000000`);
      assert.equal(q.get('end'), `${Date.parse('2025-11-14T03:10:00Z')}000000`);
    });

    it('an unreachable Loki alone is "no input could be read" (exit 2)', async () => {
      const dead = `http://127.0.0.1:${(server.address() as AddressInfo).port}/nowhere`;
      const r = await timeline(['--loki', dead, '--query', '{a="b"}', '--since', '1h']);
      assert.equal(r.code, 2);
      assert.match(r.err, /HTTP 404/);
    });
  });
});
