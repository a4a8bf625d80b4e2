import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { LogRecord, UnparsedLine } from '../../../src/timeline/record.ts';
import { readLoki } from '../../../src/timeline/sources/index.ts';
import { closeServer } from '../../helpers/cleanup.ts';
import { utc } from './collect.ts';

interface Stored {
  labels: Record<string, string>;
  ts: bigint;
  line: string;
}

const NODE = { host: 'k8s-cp-01', job: 'systemd-journal', unit: 'k3s.service' };
const KERNEL = { host: 'k8s-cp-01', job: 'systemd-journal', unit: 'kernel' };
const COREDNS = { app: 'coredns', namespace: 'kube-system', node_name: 'k8s-cp-01', container: 'coredns' };
const ns = (iso: string, extra = 0n): bigint => BigInt(utc(iso)) * 1_000_000n + extra;

/** 25 entries over three streams; two pairs share a nanosecond across streams, to land on page edges. */
const STORE: Stored[] = [];
for (let i = 0; i < 20; i++) {
  STORE.push({
    labels: NODE,
    ts: ns('2025-11-14T02:58:40Z', BigInt(i) * 1_000_000_000n),
    line: `dial tcp: lookup quay.io: Try again (${i})`,
  });
}
STORE.push({
  labels: KERNEL,
  ts: ns('2025-11-14T02:58:49Z'),
  line: 'nfs: server truenas.home.lex.la not responding, still trying',
});
STORE.push({
  labels: COREDNS,
  ts: ns('2025-11-14T02:58:49Z'),
  line: '[ERROR] plugin/errors: 2 quay.io. A: read udp 10.42.0.15:47436->172.16.0.1:53: i/o timeout',
});
STORE.push({
  labels: NODE,
  ts: ns('2025-11-14T03:02:52Z'),
  line: 'E1114 03:02:52.000001    1231 pod_workers.go:1301] "Error syncing pod, skipping"',
});
STORE.push({
  labels: COREDNS,
  ts: ns('2025-11-14T03:02:52Z'),
  line: '[INFO] plugin/reload: Running configuration SHA512 = 59',
});
STORE.push({
  labels: NODE,
  ts: ns('2025-11-14T03:03:00Z'),
  line: 'time="2025-11-14T03:02:59.5Z" level=error msg="RunPodSandbox failed" error="[429] putEndpointIdTooManyRequests"',
});

/** A small server speaking Loki's query_range contract: start inclusive, end exclusive, limit, direction. */
function lokiServer(requests: URLSearchParams[]): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/loki/api/v1/query_range') {
      res.writeHead(404).end('404 page not found\n');
      return;
    }
    requests.push(url.searchParams);
    const q = url.searchParams;
    if (q.get('query') === '{bad') {
      res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end('parse error at line 1, col 5: syntax error: unexpected $end\n');
      return;
    }
    if (q.get('query') === '{slow="yes"}') return; // never answers
    const start = BigInt(q.get('start')!);
    const end = BigInt(q.get('end')!);
    const limit = Number(q.get('limit'));
    const forward = q.get('direction') === 'forward';
    const hits = STORE.filter((e) => e.ts >= start && e.ts < end)
      .sort((a, b) => (a.ts === b.ts ? 0 : a.ts < b.ts === forward ? -1 : 1))
      .slice(0, limit);
    const streams = new Map<string, { stream: Record<string, string>; values: [string, string][] }>();
    for (const e of hits) {
      const key = JSON.stringify(e.labels);
      if (!streams.has(key)) streams.set(key, { stream: e.labels, values: [] });
      streams.get(key)!.values.push([e.ts.toString(), e.line]);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        status: 'success',
        data: { resultType: 'streams', result: [...streams.values()], stats: {} },
      }),
    );
  });
}

describe('readLoki', () => {
  const requests: URLSearchParams[] = [];
  let server: Server;
  let url = '';
  before(async () => {
    server = lokiServer(requests);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await closeServer(server);
  });

  async function read(query: string, limit: number, extra: { timeoutMs?: number } = {}) {
    const records: LogRecord[] = [];
    const problems: UnparsedLine[] = [];
    for await (const r of readLoki({
      url: `${url}/`,
      query,
      since: utc('2025-11-14T02:50:00Z'),
      until: utc('2025-11-14T03:10:00Z'),
      limit,
      onProblem: (p) => problems.push(p),
      ...extra,
    })) {
      records.push(r);
    }
    return { records, problems };
  }

  it('pages forward through query_range, every entry once, across page edges that share a nanosecond', async () => {
    requests.length = 0;
    const { records, problems } = await read('{host="k8s-cp-01"}', 7);
    assert.deepEqual(problems, []);
    assert.ok(requests.length >= 3, `expected at least 3 pages, got ${requests.length}`);
    assert.equal(records.length, STORE.length);
    for (const q of requests) {
      assert.equal(q.get('direction'), 'forward');
      assert.equal(q.get('limit'), '7');
      assert.equal(q.get('end'), ns('2025-11-14T03:10:00Z').toString());
    }
    assert.equal(requests[0]!.get('start'), ns('2025-11-14T02:50:00Z').toString());
    const times = records.map((r) => r.time!);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.deepEqual(
      records.map((r) => r.source.line),
      records.map((_, i) => i + 1),
    );
    const seen = new Set(records.map((r) => `${r.time} ${r.message}`));
    assert.equal(seen.size, STORE.length, 'no duplicates');
  });

  it('labels give host and program; known line formats are parsed, others kept whole with Loki time', async () => {
    const { records } = await read('{host="k8s-cp-01"}', 1000);
    const kernel = records.find((r) => r.program === 'systemd-journal' && r.message.startsWith('nfs:'))!;
    assert.deepEqual(
      [kernel.time, kernel.host, kernel.format, kernel.fields?.unit],
      [utc('2025-11-14T02:58:49Z'), 'k8s-cp-01', 'loki', 'kernel'],
    );
    const dns = records.find((r) => r.format === 'loki/coredns' && r.fields?.level === 'error')!;
    assert.deepEqual(
      [dns.time, dns.host, dns.program, dns.fields?.plugin],
      [utc('2025-11-14T02:58:49Z'), 'k8s-cp-01', 'coredns', 'errors'],
    );
    const klog = records.find((r) => r.format === 'loki/klog')!;
    assert.deepEqual(
      [klog.time, klog.pid, klog.fields?.severity],
      [utc('2025-11-14T03:02:52Z'), 1231, 'error'],
    );
    const logfmt = records.find((r) => r.format === 'loki/logfmt')!;
    // A complete time in the line itself wins over the ingestion stamp.
    assert.deepEqual(
      [logfmt.time, logfmt.message],
      [utc('2025-11-14T03:02:59.500Z'), 'RunPodSandbox failed'],
    );
  });

  it("HTTP errors become a problem carrying Loki's message", async () => {
    const { records, problems } = await read('{bad', 100);
    assert.equal(records.length, 0);
    assert.deepEqual(problems, [
      {
        file: url,
        line: 0,
        reason: 'Loki query_range: HTTP 400: parse error at line 1, col 5: syntax error: unexpected $end',
      },
    ]);
  });

  it('a Loki that does not answer times out into a problem', async () => {
    const { records, problems } = await read('{slow="yes"}', 100, { timeoutMs: 300 });
    assert.equal(records.length, 0);
    assert.deepEqual(problems, [{ file: url, line: 0, reason: 'Loki query_range: timed out after 300 ms' }]);
  });

  it('an unreachable Loki is a problem, not a throw', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const problems: UnparsedLine[] = [];
    const it = readLoki({
      url: `http://127.0.0.1:${port}`,
      query: '{a="b"}',
      since: 0,
      until: 1000,
      onProblem: (p) => problems.push(p),
    });
    assert.equal((await it.next()).done, true);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.reason, /^Loki query_range: fetch failed/);
  });
});
