import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect, FORMATS, utc } from '../collect.ts';

describe('Kubernetes events', () => {
  it('kubectl get events -o json (core/v1): time, object, reason, count, source host; line of each item', async () => {
    const file = `${FORMATS}k8s-events.json`;
    const { records, problems } = await collect([file]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [
        r.time,
        r.source.line,
        r.host,
        r.program,
        r.fields?.reason,
        r.fields?.kind,
        r.fields?.namespace,
      ]),
      [
        [
          utc('2025-11-14T03:02:41Z'),
          4,
          'k8s-cp-01',
          'kubelet',
          'FailedCreatePodSandBox',
          'Pod',
          'cert-manager',
        ],
        [utc('2025-11-14T03:04:02Z'), 36, 'k8s-cp-01', 'kubelet', 'FailedMount', 'Pod', 'kube-system'],
        [utc('2025-11-14T03:05:00Z'), 68, undefined, 'node-controller', 'NodeNotReady', 'Node', undefined],
      ],
    );
    assert.deepEqual(
      [records[1]!.fields?.count, records[1]!.fields?.firstTimestamp, records[1]!.fields?.name],
      ['7', '2025-11-14T03:01:15Z', 'cilium-x8k2p'],
    );
    assert.match(records[0]!.message, /\[PUT \/endpoint\/\{id\}\]\[429\] putEndpointIdTooManyRequests$/);
  });

  it('events.k8s.io/v1: note, regarding, series, reportingController/Instance', async () => {
    const { records, problems } = await collect([`${FORMATS}k8s-events-v1.json`]);
    assert.deepEqual(problems, []);
    const [e] = records;
    assert.deepEqual(
      [e!.time, e!.host, e!.program, e!.fields?.count, e!.fields?.namespace, e!.fields?.type, e!.source.line],
      [utc('2025-11-14T03:03:20Z'), 'k8s-cp-01', 'kubelet', '3', 'argo', 'Warning', 4],
    );
    assert.match(e!.message, /^Failed to create pod sandbox: plugin type="cilium-cni"/);
  });

  it('kubectl describe Events table: time = now − age, counts, <unknown>, object from Name/Namespace', async () => {
    const now = utc('2025-11-14T03:05:00Z');
    const { records, problems } = await collect([`${FORMATS}kubectl-describe-pod.txt`], { now });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.time, r.timeQuality, r.source.line, r.program, r.fields?.reason, r.fields?.type]),
      [
        [now - 144_000, 'inferred', 30, 'default-scheduler', 'Scheduled', 'Normal'],
        [now - 133_000, 'inferred', 31, 'kubelet', 'FailedCreatePodSandBox', 'Warning'],
        [now - 180_000, 'inferred', 32, 'kubelet', 'FailedMount', 'Warning'],
        [null, 'none', 33, 'kubelet', 'SandboxChanged', 'Normal'],
      ],
    );
    assert.deepEqual(
      [
        records[2]!.fields?.count,
        records[2]!.fields?.firstTime,
        records[2]!.fields?.name,
        records[2]!.fields?.namespace,
      ],
      ['5', '2025-11-14T02:55:00.000Z', 'grafana-operator-7d9f8b6c4-x2k8p', 'monitoring'],
    );
    assert.match(records[1]!.message, /^Failed to create pod sandbox: .*putEndpointIdTooManyRequests$/);
  });

  it('a broken events document is one problem naming the line, not a crash', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/fl-events-`);
    const file = `${dir}/events.json`;
    await writeFile(
      file,
      '{\n    "apiVersion": "v1",\n    "items": [\n        {"kind": "Event",,}\n    ]\n}\n',
    );
    const { records, problems } = await collect([file]);
    assert.equal(records.length, 0);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.line, 4);
    assert.match(problems[0]!.reason, /^invalid JSON/);
  });
});
