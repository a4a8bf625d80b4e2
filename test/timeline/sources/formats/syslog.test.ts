import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect, FORMATS, utc } from '../collect.ts';

describe('syslog files', () => {
  it('RFC 3164: PRI, no year → the year that is not in the future, Dec → Jan rollover inside the file', async () => {
    const { records, problems } = await collect([`${FORMATS}syslog-3164.log`], {
      now: utc('2026-01-02T00:00:00Z'),
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.time, r.timeQuality, r.host, r.program, r.pid, r.format]),
      [
        [utc('2025-12-31T23:59:58Z'), 'inferred', 'k8s-cp-01', 'systemd', 1, 'syslog-3164'],
        [utc('2025-12-31T23:59:59Z'), 'inferred', 'k8s-cp-01', 'kernel', undefined, 'syslog-3164'],
        [utc('2026-01-01T00:00:01Z'), 'inferred', 'k8s-cp-01', 'kernel', undefined, 'syslog-3164'],
        [utc('2026-01-01T00:00:02Z'), 'inferred', 'k8s-cp-01', 'CRON', 40211, 'syslog-3164'],
      ],
    );
    // <30> = facility 3 (daemon), severity 6 (info)
    assert.deepEqual(records[0]!.fields, { PRIORITY: '6', SYSLOG_FACILITY: '3' });
    // kern.log repeats the kernel's monotonic stamp: moved to a field so the message starts as the kernel's.
    assert.equal(records[2]!.message, 'nfs: server truenas.home.lex.la OK');
    assert.deepEqual(records[2]!.fields, { monotonic: '1497.000001' });
  });

  it('RFC 5424: exact time, NILVALUEs, MSGID and structured data kept', async () => {
    const { records, problems } = await collect([`${FORMATS}syslog-5424.log`]);
    assert.deepEqual(problems, []);
    const [resolved, k3s, nil] = records;
    assert.deepEqual(
      [resolved!.time, resolved!.host, resolved!.program, resolved!.pid, resolved!.fields?.PRIORITY],
      [utc('2025-11-14T02:58:40.003Z'), 'k8s-cp-01', 'systemd-resolved', 612, '3'],
    );
    assert.match(resolved!.message, /^Using degraded feature set UDP instead of UDP\+EDNS0/);
    assert.deepEqual(
      [k3s!.time, k3s!.fields?.MSGID, k3s!.fields?.sd, k3s!.message],
      [
        utc('2025-11-14T03:02:41.512Z'),
        'ID47',
        '[meta@32473 node="k8s-cp-01" component="kubelet"]',
        'Failed to create sandbox for pod',
      ],
    );
    assert.deepEqual(
      [nil!.time, nil!.timeQuality, nil!.host, nil!.program, nil!.message],
      [null, 'none', undefined, undefined, 'no time at all'],
    );
  });
});
