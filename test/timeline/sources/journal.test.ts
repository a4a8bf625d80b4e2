import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { readLogs } from '../../../src/timeline/sources/index.ts';
import { suiteTempDir } from '../../helpers/cleanup.ts';
import { requireExecutable } from '../../helpers/lab.ts';
import { collect, utc } from './collect.ts';

/** A binary export field: name, newline, u64 LE length, bytes, newline. */
function binaryField(name: string, value: Buffer): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(value.length));
  return Buffer.concat([Buffer.from(`${name}\n`), len, value, Buffer.from('\n')]);
}

const BOOT_A = '0123456789abcdef0123456789abcdef';
const BOOT_B = 'fedcba9876543210fedcba9876543210';

function entry(us: string, boot: string, fields: Record<string, string>, binary?: [string, Buffer]): Buffer {
  const text = Object.entries({ __REALTIME_TIMESTAMP: us, _BOOT_ID: boot, ...fields })
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
  return Buffer.concat([
    Buffer.from(text),
    binary ? binaryField(binary[0], binary[1]) : Buffer.alloc(0),
    Buffer.from('\n'),
  ]);
}

/** Three entries as a node's journal would hold them during the incident, one with a binary MESSAGE. */
const EXPORT = Buffer.concat([
  entry('1763089038000000', BOOT_A, {
    __MONOTONIC_TIMESTAMP: '5000000',
    _HOSTNAME: 'k8s-cp-01',
    SYSLOG_IDENTIFIER: 'kernel',
    _TRANSPORT: 'kernel',
    PRIORITY: '4',
    MESSAGE: 'nfs: server truenas.home.lex.la not responding, still trying',
  }),
  entry(
    '1763089120123456',
    BOOT_A,
    { __MONOTONIC_TIMESTAMP: '6000000', _HOSTNAME: 'k8s-cp-01', _COMM: 'k3s-server', _PID: '1224' },
    ['MESSAGE', Buffer.from('failed to pull image:\n  dial tcp: lookup quay.io: Try again\n\u001b[0m')],
  ),
  entry('1763147704000000', BOOT_B, {
    __MONOTONIC_TIMESTAMP: '1000000',
    _HOSTNAME: 'k8s-cp-01',
    SYSLOG_IDENTIFIER: 'systemd',
    _PID: '1',
    MESSAGE: 'Started k3s.service - Lightweight Kubernetes.',
  }),
]);

describe('journal: export, json and binary .journal files', () => {
  const tmp = suiteTempDir('fl-journal-');

  // Line numbers count the newlines inside binary values too, as an editor shows the file.
  it('export format: text and binary fields, entry first line, boot change marker', async () => {
    const file = tmp('in.export');
    await writeFile(file, EXPORT);
    const { records, problems } = await collect([file]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.time, r.host, r.program, r.pid, r.source.line, r.format]),
      [
        [utc('2025-11-14T02:57:18Z'), 'k8s-cp-01', 'kernel', undefined, 1, 'journal-export'],
        [utc('2025-11-14T02:58:40.123Z'), 'k8s-cp-01', 'k3s-server', 1224, 10, 'journal-export'],
        [utc('2025-11-14T19:15:04Z'), 'k8s-cp-01', 'journal', undefined, 21, 'journal-export'],
        [utc('2025-11-14T19:15:04Z'), 'k8s-cp-01', 'systemd', 1, 21, 'journal-export'],
      ],
    );
    assert.equal(
      records[1]!.message,
      'failed to pull image:\n  dial tcp: lookup quay.io: Try again\n\u001b[0m',
    );
    assert.deepEqual(records[2]!.fields, { _BOOT_ID: BOOT_B, marker: 'boot' });
    assert.equal(records[2]!.message, `-- Boot ${BOOT_B} --`);
    assert.equal(records[0]!.fields?.PRIORITY, '4');
  });

  it('a real .journal file (systemd-journal-remote) is read through journalctl, and matches -o json', async () => {
    const remote = requireExecutable('/lib/systemd/systemd-journal-remote', 'systemd-journal-remote');
    const journalctl = requireExecutable('journalctl', 'systemd');
    const exportFile = tmp('node.export');
    const journalFile = tmp('node.journal');
    await writeFile(exportFile, EXPORT);
    const made = spawnSync(remote, ['-o', journalFile, exportFile], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);

    const viaFile = await collect([journalFile]);
    assert.deepEqual(viaFile.problems, []);
    assert.deepEqual(
      viaFile.records.map((r) => [r.time, r.program, r.message, r.source.line]),
      [
        [
          utc('2025-11-14T02:57:18Z'),
          'kernel',
          'nfs: server truenas.home.lex.la not responding, still trying',
          1,
        ],
        [
          utc('2025-11-14T02:58:40.123Z'),
          'k3s-server',
          'failed to pull image:\n  dial tcp: lookup quay.io: Try again\n\u001b[0m',
          2,
        ],
        [utc('2025-11-14T19:15:04Z'), 'journal', `-- Boot ${BOOT_B} --`, 3],
        [utc('2025-11-14T19:15:04Z'), 'systemd', 'Started k3s.service - Lightweight Kubernetes.', 3],
      ],
    );

    /** The journal as `journalctl -o <output>` prints it, written to `name` and read back. */
    const printed = async (output: string, name: string) => {
      const out = spawnSync(journalctl, [`--file=${journalFile}`, '-o', output, '--no-pager'], {
        encoding: 'utf8',
      });
      await writeFile(tmp(name), out.stdout);
      return { out, via: await collect([tmp(name)]) };
    };
    /** Read back without problems, with the binary file's records in the given format. */
    const sameRecords = (via: Awaited<ReturnType<typeof collect>>, format: string) => {
      assert.deepEqual(via.problems, []);
      assert.deepEqual(
        via.records.map((r) => [r.time, r.program, r.pid, r.message, r.format]),
        viaFile.records.map((r) => [r.time, r.program, r.pid, r.message, format]),
      );
    };

    // The same journal printed by journalctl -o json: MESSAGE with control characters is an array of bytes.
    const { out: json, via: viaJson } = await printed('json', 'node.json');
    assert.equal(json.status, 0, json.stderr);
    assert.match(json.stdout, /"MESSAGE":\[102,97,105,108/);
    sameRecords(viaJson, 'journal-json');
    assert.equal(viaJson.records[1]!.fields?._BOOT_ID, BOOT_A);
    assert.match(viaJson.records[1]!.fields?.__CURSOR ?? '', /^s=[0-9a-f]+;i=2;/);

    // -o json-pretty: one field per line; each record points at the line of its "{".
    const { out: pretty, via: viaPretty } = await printed('json-pretty', 'node.pretty.json');
    sameRecords(viaPretty, 'journal-json-pretty');
    const lines = pretty.stdout.split('\n');
    for (const r of viaPretty.records) assert.equal(lines[r.source.line - 1], '{');

    // And -o short-iso, the form operators paste: same times and programs.
    const { via: viaIso } = await printed('short-iso', 'node.iso');
    assert.deepEqual(
      viaIso.records
        .filter((r) => !r.fields?.continuation)
        .map((r) => [Math.floor(r.time! / 1000), r.program]),
      viaFile.records.map((r) => [Math.floor(r.time! / 1000), r.program]),
    );
  });

  it('stopping early on a binary journal ends the journalctl child', async () => {
    const remote = requireExecutable('/lib/systemd/systemd-journal-remote', 'systemd-journal-remote');
    requireExecutable('journalctl', 'systemd');
    const entries = Array.from({ length: 3000 }, (_, i) =>
      entry(String(1763089038000000 + i * 1000), BOOT_A, {
        _HOSTNAME: 'k8s-cp-01',
        SYSLOG_IDENTIFIER: 'kernel',
        MESSAGE: `line ${i}`,
      }),
    );
    const exportFile = tmp('many.export');
    const journalFile = tmp('many.journal');
    await writeFile(exportFile, Buffer.concat(entries));
    assert.equal(spawnSync(remote, ['-o', journalFile, exportFile]).status, 0);
    const pgrepBin = requireExecutable('pgrep', 'procps');
    const pgrep = () =>
      spawnSync(pgrepBin, ['-f', `--file=${journalFile}`], { encoding: 'utf8' }).stdout.trim();
    let n = 0;
    for await (const r of readLogs([journalFile])) {
      assert.equal(r.message, `line ${n}`);
      if (++n === 5) break;
    }
    // The kill is asynchronous; the child is gone within a few event-loop turns.
    for (let i = 0; i < 50 && pgrep() !== ''; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(pgrep(), '', 'journalctl still running after the consumer stopped');
  });

  it('a binary journal that journalctl rejects is a problem, not a crash', async () => {
    requireExecutable('journalctl', 'systemd');
    const file = tmp('broken.journal');
    await writeFile(file, Buffer.concat([Buffer.from('LPKSHHRH'), Buffer.alloc(64, 0xff)]));
    const { records, problems } = await collect([file]);
    assert.equal(records.length, 0);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.reason, /journalctl --file failed \(exit \d+\)/);
  });
});
