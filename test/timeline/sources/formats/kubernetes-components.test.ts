import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect, FORMATS, utc } from '../collect.ts';

describe('klog, logfmt, CoreDNS and CRI container logs', () => {
  it('klog: severity, caller and thread id; year inferred', async () => {
    const { records, problems } = await collect([`${FORMATS}klog.log`], { now: utc('2025-11-20T00:00:00Z') });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.time, r.timeQuality, r.pid, r.fields?.severity, r.fields?.caller]),
      [
        [utc('2025-11-14T02:58:40.123Z'), 'inferred', 1224, 'info', 'kuberuntime_manager.go:1170'],
        [utc('2025-11-14T03:02:52.000Z'), 'inferred', 1231, 'error', 'pod_workers.go:1301'],
        [utc('2025-11-14T03:03:10.500Z'), 'inferred', 1231, 'warning', 'reflector.go:561'],
      ],
    );
    assert.match(records[0]!.message, /^"CreatePodSandbox for pod failed" pod="cert-manager\//);
  });

  it('logfmt: quoted values with escapes, nanosecond time, msg as message, lines without time', async () => {
    const { records, problems } = await collect([`${FORMATS}logfmt.log`]);
    assert.deepEqual(problems, []);
    const [pull, cni, regen] = records;
    assert.deepEqual([pull!.time, pull!.timeQuality], [utc('2025-11-14T02:58:40.123Z'), 'exact']);
    assert.equal(pull!.message, 'PullImage "quay.io/cilium/cilium:v1.16.3" failed');
    assert.match(pull!.fields!.error!, /dial tcp: lookup quay\.io: Try again$/);
    assert.deepEqual(
      [cni!.program, cni!.fields?.error],
      ['cilium-cni', '[PUT /endpoint/{id}][429] putEndpointIdTooManyRequests'],
    );
    assert.deepEqual([regen!.time, regen!.timeQuality, regen!.fields?.endpointID], [null, 'none', '1842']);
  });

  it('CoreDNS: bare and timestamped lines; its start-up banner lines are reported as unparsed', async () => {
    const file = `${FORMATS}coredns.log`;
    const { records, problems } = await collect([file]);
    assert.deepEqual(
      records.map((r) => [r.source.line, r.time, r.program, r.fields?.level, r.fields?.plugin]),
      [
        [2, null, 'coredns', 'info', 'reload'],
        [4, null, 'coredns', 'error', 'errors'],
        [5, utc('2025-11-14T02:58:41.000Z'), 'coredns', 'error', 'errors'],
        [6, null, 'coredns', 'info', undefined],
      ],
    );
    assert.equal(
      records[1]!.message,
      'plugin/errors: 2 quay.io. A: read udp 10.42.0.15:47436->172.16.0.1:53: i/o timeout',
    );
    assert.deepEqual(problems, [
      { file, line: 1, reason: 'not a coredns line' },
      { file, line: 3, reason: 'not a coredns line' },
    ]);
  });

  it('CRI log files: runtime time, stream, and the inner logfmt parsed', async () => {
    const { records, problems } = await collect([`${FORMATS}cri.log`]);
    assert.deepEqual(problems, []);
    const [cilium, partial] = records;
    assert.deepEqual(
      [
        cilium!.time,
        cilium!.format,
        cilium!.program,
        cilium!.message,
        cilium!.fields?.stream,
        cilium!.fields?.level,
      ],
      [
        utc('2025-11-14T03:02:41.123Z'),
        'cri',
        'cilium-cni',
        'Unable to create endpoint',
        'stderr',
        'warning',
      ],
    );
    assert.deepEqual([partial!.fields?.tag, partial!.message], ['P', 'partial line without an en']);
  });
});
