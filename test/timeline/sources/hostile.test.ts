/**
 * Issue 8's robustness items, each found by feeding the timeline hostile input: a bad line is a
 * per-line error naming file and line, and the rest of the report is still written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { main } from '../../../src/cli/main.ts';
import { captureIO } from '../../helpers/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  events: { time: string | null; signature: string; host: string | null; source: { line: number } }[];
  errors: { file: string; line: number; reason: string }[];
  stats: { records: number; unparsed: number; unreadableInputs: number };
}

async function timeline(name: string, content: string | Buffer): Promise<Report> {
  writeFileSync(join(dir, name), content);
  const io = captureIO({ cwd: dir });
  const code = await main(['timeline', '--year', '2025', '--format', 'json', name], io);
  assert.equal(code, 0, io.err());
  return JSON.parse(io.out()) as Report;
}

const NFS = 'nfs: server nas not responding, still trying';
const jline = (us: string, msg = NFS) =>
  JSON.stringify({ __REALTIME_TIMESTAMP: us, _HOSTNAME: 'n1', SYSLOG_IDENTIFIER: 'kernel', MESSAGE: msg });

describe('hostile input', () => {
  it('out-of-range times are per-line errors, not exit 70 (journal µs, dmesg seconds)', async () => {
    const j = await timeline(
      'big.json',
      [jline('99999999999999999999999'), jline('1763089120000000')].join('\n'),
    );
    assert.deepEqual(
      j.events.map((e) => [e.time, e.source.line]),
      [['2025-11-14T02:58:40.000Z', 2]],
    );
    assert.deepEqual(
      j.errors.map((e) => [e.file, e.line]),
      [['big.json', 1]],
    );
    assert.match(j.errors[0]!.reason, /time out of range/);
    const d = await timeline('big.dmesg', `[99999999999999999.0] ${NFS}\n[  100.000000] ${NFS}\n`);
    assert.deepEqual(
      d.events.map((e) => e.source.line),
      [2],
    );
    assert.deepEqual(
      d.errors.map((e) => [e.line, /seconds since boot out of range/.test(e.reason)]),
      [[1, true]],
    );
  });

  it('impossible dates are rejected per line: month 13, year 0001, journal "-5"', async () => {
    const iso = await timeline(
      'bad.iso.log',
      [
        `2025-13-45T99:99:99+0000 n1 kernel: ${NFS}`,
        `0001-11-14T02:57:18+0000 n1 kernel: ${NFS}`,
        `2025-02-29T02:57:18+0000 n1 kernel: ${NFS}`,
        `2025-11-14T02:57:18+0000 n1 kernel: ${NFS}`,
      ].join('\n'),
    );
    assert.deepEqual(
      iso.events.map((e) => e.time),
      ['2025-11-14T02:57:18.000Z'],
    );
    assert.deepEqual(
      iso.errors.map((e) => e.line),
      [1, 2, 3],
    );
    const j = await timeline('neg.json', [jline('-5'), jline('1763089120000000')].join('\n'));
    assert.deepEqual(
      j.errors.map((e) => e.line),
      [1],
    );
    assert.equal(j.events.length, 1);
  });

  it('compact `kubectl get events -o json | jq -c .` gives every event with its time and host', async () => {
    const doc = JSON.parse(readFileSync('test/fixtures/timeline/seed/events.json', 'utf8')) as {
      items: unknown[];
    };
    const r = await timeline('events.compact.json', `${JSON.stringify(doc)}\n`);
    assert.equal(doc.items.length, 6);
    assert.equal(r.events.length, 6);
    assert.ok(r.events.every((e) => e.time !== null && e.host === 'k8s-cp-01'));
  });

  it('a journal export binary field with a bogus length drops its entry, says so, and keeps the next one', async () => {
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(60n);
    const text = Buffer.concat([
      Buffer.from(
        `__REALTIME_TIMESTAMP=1763089020000000\n_HOSTNAME=n1\nSYSLOG_IDENTIFIER=kernel\nMESSAGE=${NFS}\n\n`,
      ),
      Buffer.from('__REALTIME_TIMESTAMP=1763089030000000\n_HOSTNAME=n1\nSYSLOG_IDENTIFIER=kernel\nMESSAGE\n'),
      size,
      Buffer.from('short text\n\n'),
      Buffer.from(
        '__REALTIME_TIMESTAMP=1763089040000000\n_HOSTNAME=n1\nSYSLOG_IDENTIFIER=kernel\nMESSAGE=INFO: task loki:1 blocked for more than 120 seconds.\n\n',
      ),
    ]);
    const r = await timeline('bogus.export', text);
    assert.deepEqual(
      r.events.map((e) => e.signature),
      ['nfs.server-not-responding', 'hung-task.blocked'],
    );
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!.reason, /binary field MESSAGE has a bad length \(60 bytes\)/);
    assert.equal(r.errors[0]!.line, 9);
  });

  it('a journal export cut inside a binary field keeps what came before and says where it broke', async () => {
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(500n);
    const r = await timeline(
      'trunc.export',
      Buffer.concat([
        Buffer.from(
          `__REALTIME_TIMESTAMP=1763089020000000\n_HOSTNAME=n1\nSYSLOG_IDENTIFIER=kernel\nMESSAGE=${NFS}\n\n`,
        ),
        Buffer.from('__REALTIME_TIMESTAMP=1763089030000000\n_HOSTNAME=n1\nMESSAGE\n'),
        size,
        Buffer.from('only a little'),
      ]),
    );
    assert.deepEqual(
      r.events.map((e) => e.signature),
      ['nfs.server-not-responding'],
    );
    assert.ok(
      r.errors.some(
        (e) => e.line === 8 && /ends inside binary field MESSAGE \(it claims 500 bytes/.test(e.reason),
      ),
    );
  });

  it('a truncated .gz keeps its readable start and reports where the data broke', async () => {
    const lines = Array.from(
      { length: 4000 },
      (_, i) =>
        `2025-11-14T02:${String(10 + Math.floor(i / 100)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}+0000 n1 kernel: ${i === 5 ? NFS : `ordinary line ${i} ${'x'.repeat(40)}`}`,
    ).join('\n');
    const gz = gzipSync(`${lines}\n`);
    const r = await timeline('trunc.log.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    assert.deepEqual(
      r.events.map((e) => [e.signature, e.source.line]),
      [['nfs.server-not-responding', 6]],
    );
    assert.ok(r.stats.records > 1000, `${r.stats.records} records`);
    assert.equal(r.stats.unreadableInputs, 0);
    assert.ok(
      r.errors.some((e) => e.line === 0 && /gzip data broken after \d+ decompressed bytes/.test(e.reason)),
    );
  });
});
