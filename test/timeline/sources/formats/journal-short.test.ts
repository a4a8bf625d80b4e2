import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { collect, FORMATS, utc } from '../collect.ts';

describe('journalctl -o short / short-precise / short-iso', () => {
  it('short: inferred year, host/program/pid, continuation lines, boot marker timed by the next entry', async () => {
    const file = `${FORMATS}journal-short.log`;
    const { records, problems } = await collect([file], { now: utc('2025-11-21T00:00:00Z') });
    assert.deepEqual(problems, []);
    assert.equal(records.length, 8);
    const nfs = records[1]!;
    assert.deepEqual(
      [nfs.time, nfs.timeQuality, nfs.host, nfs.program, nfs.pid, nfs.format, nfs.source],
      [
        utc('2025-11-14T02:57:18Z'),
        'inferred',
        'k8s-cp-01',
        'kernel',
        undefined,
        'journal-short',
        { file, line: 3 },
      ],
    );
    assert.equal(nfs.message, 'nfs: server truenas.home.lex.la not responding, still trying');
    const k3s = records[2]!;
    assert.deepEqual([k3s.program, k3s.pid], ['k3s', 1224]);
    assert.match(
      k3s.message,
      /^E1114 02:58:40\.123456 +1224 remote_image\.go:180\] .*lookup quay\.io: Try again/,
    );
    const cont = records[5]!;
    assert.deepEqual(
      [cont.message, cont.time, cont.program, cont.source.line, cont.fields],
      ['second line of the same entry', utc('2025-11-14T02:59:00Z'), 'systemd', 7, { continuation: 'true' }],
    );
    const boot = records[6]!;
    assert.deepEqual(
      [boot.program, boot.message, boot.time, boot.source.line, boot.fields?.marker],
      ['journal', '-- Boot 9f2c1d0e6b5a4f3e8d7c6b5a49382716 --', utc('2025-11-14T19:35:04Z'), 8, 'boot'],
    );
    assert.equal(records[7]!.source.line, 9);
  });

  it('short: the year option wins over inference', async () => {
    const { records } = await collect([`${FORMATS}journal-short.log`], { year: 2023 });
    assert.equal(records[0]!.time, utc('2023-11-14T02:54:55Z'));
  });

  it('short: zone-less times are read in the given zone', async () => {
    const { records } = await collect([`${FORMATS}journal-short.log`], {
      year: 2025,
      timezone: 'Europe/Berlin',
    });
    assert.equal(records[0]!.time, utc('2025-11-14T01:54:55Z'));
  });

  it('short-precise keeps the fraction', async () => {
    const { records, problems } = await collect([`${FORMATS}short-precise.log`], { year: 2025 });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.time, r.format, r.message]),
      [
        [utc('2025-11-14T02:58:40.123Z'), 'short-precise', 'dial tcp: lookup quay.io: Try again'],
        [utc('2025-11-14T02:58:41.000Z'), 'short-precise', 'dial tcp: lookup ghcr.io: Try again'],
      ],
    );
  });

  it('short-iso: exact times from the line, both +0000 and +00:00 offsets, boot marker', async () => {
    const { records, problems } = await collect([`${FORMATS}short-iso.log`]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.time, r.timeQuality, r.format, r.program, r.source.line]),
      [
        [utc('2025-11-14T02:57:18Z'), 'exact', 'short-iso', 'kernel', 1],
        [utc('2025-11-14T03:02:41Z'), 'exact', 'short-iso', 'k3s', 2],
        [utc('2025-11-14T03:02:52.250Z'), 'exact', 'short-iso', 'k3s', 3],
        [utc('2025-11-14T19:35:04Z'), 'exact', 'journal-marker', 'journal', 4],
        [utc('2025-11-14T19:35:04Z'), 'exact', 'short-iso', 'systemd', 5],
      ],
    );
  });

  it('"-- No entries --" becomes a journal record without time', async () => {
    const { records, problems } = await collect(['-'], {
      stdin: Readable.from([Buffer.from('-- No entries --\n')]),
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.program, r.message, r.time, r.fields?.marker]),
      [['journal', '-- No entries --', null, 'no-entries']],
    );
  });
});

describe('journalctl -o short-full', () => {
  it('UTC lines are exact; another zone abbreviation is read in the caller zone and marked inferred', async () => {
    const { records, problems } = await collect([`${FORMATS}short-full.log`], { timezone: 'Europe/Berlin' });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.time, r.timeQuality, r.format, r.program, r.pid]),
      [
        [utc('2025-11-14T02:54:55Z'), 'exact', 'short-full', 'kernel', undefined],
        [utc('2025-11-14T02:58:40Z'), 'exact', 'short-full', 'k3s', 1224],
        [utc('2025-11-14T02:58:50Z'), 'exact', 'journal-marker', 'journal', undefined],
        [utc('2025-11-14T02:58:50Z'), 'exact', 'short-full', 'systemd', 1],
        [utc('2025-11-14T02:58:50Z'), 'inferred', 'short-full', 'systemd', 1],
      ],
    );
    assert.deepEqual(records[4]!.fields, { zone: 'CET' });
  });
});
