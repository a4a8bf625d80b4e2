import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readLogs } from '../../../src/timeline/sources/index.ts';
import { MAX_LINE } from '../../../src/timeline/sources/lines.ts';
import { suiteTempDir } from '../../helpers/cleanup.ts';
import { collect, FORMATS, utc } from './collect.ts';

describe('inputs: files, stdin, gzip, junk', () => {
  const tmp = suiteTempDir('fl-input-');

  it('gzip is recognised by its magic bytes, whatever the name', async () => {
    const text = await readFile(`${FORMATS}short-iso.log`);
    const file = tmp('journal.txt'); // no .gz suffix on purpose
    await writeFile(file, gzipSync(text));
    const plain = await collect([`${FORMATS}short-iso.log`]);
    const zipped = await collect([file]);
    assert.deepEqual(zipped.problems, []);
    assert.deepEqual(
      zipped.records.map((r) => [r.time, r.message, r.source.line]),
      plain.records.map((r) => [r.time, r.message, r.source.line]),
    );
  });

  it("'-' reads the stdin stream; CRLF line ends are stripped; progress reports bytes", async () => {
    const text =
      '2025-11-14T02:57:18+0000 k8s-cp-01 kernel: nfs: server truenas.home.lex.la not responding, still trying\r\n';
    const progress: Array<[number, number | undefined]> = [];
    const { records } = await collect(['-'], {
      stdin: Readable.from([Buffer.from(text)]),
      onProgress: (read, total) => progress.push([read, total]),
    });
    assert.equal(records.length, 1);
    assert.equal(records[0]!.message, 'nfs: server truenas.home.lex.la not responding, still trying');
    assert.deepEqual(records[0]!.source, { file: '-', line: 1 });
    assert.deepEqual(progress.at(-1), [Buffer.byteLength(text), undefined]);

    const file = `${FORMATS}klog.log`;
    const size = (await stat(file)).size;
    const fileProgress: Array<[number, number | undefined]> = [];
    await collect([file], { onProgress: (read, total) => fileProgress.push([read, total]) });
    assert.deepEqual(fileProgress.at(-1), [size, size]);
  });

  it('an overlong line is cut and reported; binary junk is counted, not parsed; the rest goes on', async () => {
    const file = tmp('mixed.log');
    const good = (s: number, msg: string) => `2025-11-14T02:57:${s}+0000 k8s-cp-01 kernel: ${msg}\n`;
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from(good(10, 'first')),
        Buffer.from(good(11, `long ${'x'.repeat(MAX_LINE * 3)}`)),
        Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x0a]),
        Buffer.from(good(12, 'after the junk')),
      ]),
    );
    const { records, problems } = await collect([file]);
    assert.deepEqual(
      records.map((r) => [r.source.line, r.message.slice(0, 14)]),
      [
        [1, 'first'],
        [2, `long ${'x'.repeat(9)}`],
        [4, 'after the junk'],
      ],
    );
    assert.equal(records[1]!.message.length, MAX_LINE - '2025-11-14T02:57:11+0000 k8s-cp-01 kernel: '.length);
    assert.deepEqual(problems, [
      { file, line: 2, reason: `line longer than ${MAX_LINE} characters; parsed its start only` },
      { file, line: 3, reason: 'binary data (NUL or invalid UTF-8), not a log line' },
    ]);
  });

  it('a missing file or a directory is a problem for that input; other inputs are still read', async () => {
    const missing = tmp('nope.log');
    const { records, problems } = await collect([missing, tmp(), `${FORMATS}short-precise.log`], {
      year: 2025,
    });
    assert.equal(records.length, 2);
    assert.equal(problems.length, 2);
    assert.deepEqual([problems[0]!.file, problems[0]!.line], [missing, 0]);
    assert.match(problems[0]!.reason, /^cannot read input: .*ENOENT/);
    assert.match(problems[1]!.reason, /is a directory/);
  });

  it('inputs are streamed one after another, each in its own file order (not merged)', async () => {
    const a = `${FORMATS}short-iso.log`;
    const b = `${FORMATS}dmesg-T.log`;
    const { records } = await collect([a, b]);
    assert.deepEqual(
      records.map((r) => r.source.file),
      [a, a, a, a, a, b, b],
    );
    assert.ok(records[5]!.time! < records[4]!.time!, 'no merge across inputs');
  });

  it('lines of another format inside an input are parsed by their own parser (per-line fallback)', async () => {
    const file = tmp('pasted.log');
    await writeFile(
      file,
      [
        'Nov 14 02:57:18 k8s-cp-01 kernel: nfs: server truenas.home.lex.la not responding, still trying',
        'Nov 14 02:58:40 k8s-cp-01 k3s[1224]: dial tcp: lookup quay.io: Try again',
        '[ERROR] plugin/errors: 2 quay.io. A: read udp 10.42.0.15:47436->172.16.0.1:53: i/o timeout',
        'E1114 03:02:52.000001    1231 pod_workers.go:1301] "Error syncing pod, skipping"',
        'something nobody can parse',
        'Nov 14 03:05:00 k8s-cp-01 kubelet[1231]: Node became not ready',
      ].join('\n'),
    );
    const { records, problems } = await collect([file], { year: 2025 });
    assert.deepEqual(
      records.map((r) => [r.source.line, r.format]),
      [
        [1, 'syslog-3164'],
        [2, 'syslog-3164'],
        [3, 'coredns'],
        [4, 'klog'],
        [6, 'syslog-3164'],
      ],
    );
    assert.equal(records[3]!.time, utc('2025-11-14T03:02:52.000Z'));
    assert.deepEqual(problems, [{ file, line: 5, reason: 'not a syslog-3164 line' }]);
  });

  it('plain text keeps line order with no times, and says so once', async () => {
    const file = `${FORMATS}plain.txt`;
    const { records, problems } = await collect([file]);
    assert.deepEqual(
      records.map((r) => [r.time, r.timeQuality, r.format, r.source.line, r.message]),
      [
        [null, 'none', 'plain', 1, 'first line of a note'],
        [null, 'none', 'plain', 2, 'no timestamps here'],
        [null, 'none', 'plain', 4, 'last line'],
      ],
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.reason, /no known log format/);
  });

  it('stopping early releases the input (the generator can be abandoned)', async () => {
    const lines = Array.from(
      { length: 200_000 },
      (_, i) => `2025-11-14T02:57:18+0000 h p[1]: line ${i}\n`,
    ).join('');
    const file = tmp('big.log');
    await writeFile(file, lines);
    let n = 0;
    for await (const _ of readLogs([file])) if (++n === 10) break;
    assert.equal(n, 10);
  });
});
