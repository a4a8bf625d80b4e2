import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect, FORMATS, utc } from '../collect.ts';

describe('dmesg', () => {
  it("anchors seconds-since-boot with the kernel's own 'setting system clock' line, even for earlier lines", async () => {
    const { records, problems } = await collect([`${FORMATS}dmesg.log`]);
    assert.deepEqual(problems, []);
    assert.equal(records.length, 12);
    // rtc line at 2.000000 s = 1763087400 (02:30:00) → boot at 02:29:58
    assert.deepEqual([records[0]!.time, records[0]!.timeQuality], [utc('2025-11-14T02:29:58Z'), 'inferred']);
    const nfs = records[3]!;
    assert.deepEqual(
      [nfs.time, nfs.program, nfs.message, nfs.source.line],
      [
        utc('2025-11-14T02:54:53.123Z'),
        'kernel',
        'nfs: server truenas.home.lex.la not responding, still trying',
        4,
      ],
    );
    assert.equal(records[4]!.message, 'INFO: task loki:25860 blocked for more than 120 seconds.');
    assert.equal(records[11]!.message, ' nfs_write_begin+0xa8/0x590 [nfs]');
    assert.deepEqual(
      records.map((r) => r.source.line),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
  });

  it('without an anchor: relative times in file order, from plain, -x and /dev/kmsg-style prefixes', async () => {
    const { records, problems } = await collect([`${FORMATS}dmesg-unanchored.log`]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.time, r.timeQuality, r.message]),
      [
        [1_495_123.456, 'relative', 'nfs: server truenas.home.lex.la not responding, still trying'],
        [1_715_000, 'relative', 'INFO: task loki:25860 blocked for more than 120 seconds.'],
        [1_830_500, 'relative', 'nfs: server truenas.home.lex.la OK'],
      ],
    );
    assert.deepEqual(records[1]!.fields, { SYSLOG_FACILITY_NAME: 'kern', PRIORITY_NAME: 'err' });
  });

  it("the caller's boot time anchors an input that has none", async () => {
    const boot = utc('2025-11-14T02:30:00Z');
    const { records } = await collect([`${FORMATS}dmesg-unanchored.log`], { bootTime: boot });
    assert.deepEqual(
      records.map((r) => [r.time, r.timeQuality]),
      [
        [boot + 1_495_123, 'inferred'],
        [boot + 1_715_000, 'inferred'],
        [boot + 1_830_500, 'inferred'],
      ],
    );
  });

  it('dmesg -T: wall time with a year, zone from the caller', async () => {
    const { records, problems } = await collect([`${FORMATS}dmesg-T.log`], { timezone: '+01:00' });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.time, r.timeQuality, r.format, r.program, r.message]),
      [
        [utc('2025-11-14T01:54:55Z'), 'inferred', 'dmesg-T', 'kernel', 'nfs_write_begin+0xa8/0x590 [nfs]'],
        [
          utc('2025-11-14T01:57:18Z'),
          'inferred',
          'dmesg-T',
          'kernel',
          'nfs: server truenas.home.lex.la not responding, still trying',
        ],
      ],
    );
  });
});
