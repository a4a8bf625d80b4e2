import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventExtractor } from '../../../src/timeline/correlate/extract.ts';
import { Records } from './records.ts';

function extract(records: ReturnType<Records['at']>[]) {
  const x = new EventExtractor();
  for (const r of records) x.push(r);
  return x;
}

describe('event extraction', () => {
  it('folds a hung-task report and its call trace into one event, collecting the NFS frames', () => {
    const r = new Records();
    const x = extract([
      r.at('k', 0, 'INFO: task loki:25860 blocked for more than 122 seconds.'),
      r.at('k', 0, '      Tainted: G           OE      6.8.0-48-generic #48-Ubuntu'),
      r.at('k', 0, '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.'),
      r.at(
        'k',
        0,
        'task:loki            state:D stack:0     pid:25860 tgid:25842 ppid:25790  flags:0x00000002',
      ),
      r.at('k', 0, 'Call Trace:'),
      r.at('k', 0, ' <TASK>'),
      r.at('k', 0, ' __schedule+0x3f0/0xb20'),
      r.at('k', 0, ' rpc_wait_bit_killable+0x1e/0xa0 [sunrpc]'),
      r.at('k', 0, ' nfs_write_begin+0xa8/0x590 [nfs]'),
      r.at('k', 0, ' </TASK>'),
      r.at('k', 1, 'eth0: Link is Up - 10Gbps/Full'),
      r.at('k', 2, ' nfs_file_write+0x1d0/0x320 [nfs]'),
    ]);
    assert.equal(x.events.length, 2);
    const [hung, later] = x.events;
    assert.equal(hung?.signature, 'hung-task.blocked');
    assert.equal(hung?.folded.length, 9);
    assert.equal(hung?.fields.frames, 'rpc_wait_bit_killable, nfs_write_begin');
    assert.equal(hung?.fields.state, 'D');
    assert.equal(hung?.fields.blockedSince, '2025-11-14T02:47:58.000Z');
    // An unrelated line closed the trace: the later frame is an event of its own.
    assert.equal(later?.signature, 'hung-task.nfs-frame');
    assert.equal(later?.source.line, 12);
  });

  it('starts a new event at a second banner and never folds lines of another program or input', () => {
    const r = new Records();
    const x = extract([
      r.at('k', 0, 'INFO: task loki:1 blocked for more than 120 seconds.'),
      r.at('k', 0, 'INFO: task promtail:2 blocked for more than 120 seconds.'),
      r.at('k', 0, 'Call Trace:', { program: 'k3s' }),
      r.at('other', 0, ' nfs_write_begin+0xa8/0x590 [nfs]'),
      r.at('k', 30, ' nfs_file_write+0x1d0/0x320 [nfs]'),
    ]);
    assert.deepEqual(
      x.events.map((e) => [e.signature, e.source.file, e.source.line, e.folded.length]),
      [
        ['hung-task.blocked', 'k', 1, 0],
        ['hung-task.blocked', 'k', 2, 0],
        ['hung-task.nfs-frame', 'other', 1, 0],
        // 30 s after the banner: not part of its trace.
        ['hung-task.nfs-frame', 'k', 4, 0],
      ],
    );
  });

  it('classifies Kubernetes Events by reason + message and takes pod/namespace from the object', () => {
    const r = new Records();
    const x = extract([
      r.at('ev.json', 10, 'Node k8s-cp-01 status is now: NodeNotReady', {
        program: 'node-controller',
        host: undefined,
        fields: { reason: 'NodeNotReady', kind: 'Node', name: 'k8s-cp-01' },
      }),
      r.at(
        'ev.json',
        11,
        'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[]: timed out waiting for the condition',
        {
          program: 'kubelet',
          fields: { reason: 'FailedMount', kind: 'Pod', namespace: 'monitoring', name: 'loki-0' },
        },
      ),
      r.at('ev.json', 12, 'Back-off restarting failed container', {
        program: 'kubelet',
        fields: { reason: 'BackOff', kind: 'Pod', namespace: 'monitoring', name: 'loki-0' },
      }),
    ]);
    assert.equal(x.events.length, 2);
    assert.equal(x.events[0]?.signature, 'node.not-ready');
    assert.equal(x.events[0]?.host, 'k8s-cp-01');
    assert.equal(x.events[0]?.fields.node, 'k8s-cp-01');
    assert.equal(x.events[1]?.signature, 'kubelet.failed-mount');
    assert.equal(x.events[1]?.fields.podRef, 'monitoring/loki-0');
    assert.equal(x.events[1]?.summary, 'volume of a pod could not be mounted for monitoring/loki-0');
    assert.equal(x.records, 3);
  });

  it('marks a log that falls silent right after incident events as a likely freeze or reboot', () => {
    const r = new Records();
    const x = extract([
      r.at('k', 0, 'nfs: server nas not responding, still trying'),
      r.at('k', 60, 'usb 1-1: new high-speed USB device number 2 using xhci_hcd'),
      r.at('k', 60 + 3600 * 5, 'ACPI: PM-Timer IO Port: 0x408'),
    ]);
    assert.deepEqual(
      x.events.map((e) => e.signature),
      ['nfs.server-not-responding', 'reboot.log-gap'],
    );
    assert.equal(x.events[1]?.fields.silentMs, String(5 * 3600_000));
    assert.match(x.events[1]?.summary ?? '', /5 h 0 min.*likely/);
  });

  it('does not invent a gap when the boot marker already says the node rebooted, nor for quiet logs without events', () => {
    const r = new Records();
    const x = extract([
      r.at('k', 0, 'nfs: server nas not responding, still trying'),
      r.at('k', 7200, '-- Boot 8f1b2c3d4e5f40718293a4b5c6d7e8f9 --', { program: undefined }),
      r.at('quiet', 0, 'systemd[1]: Started Session 1 of user root.'),
      r.at('quiet', 7200, 'systemd[1]: Started Session 2 of user root.'),
    ]);
    assert.deepEqual(
      x.events.map((e) => e.signature),
      ['nfs.server-not-responding', 'reboot.boot-marker'],
    );
  });

  it('counts events past the cap instead of keeping them', () => {
    const r = new Records();
    const x = new EventExtractor({ maxEvents: 2 });
    for (let i = 0; i < 5; i++) x.push(r.at('k', i, 'nfs: server nas not responding, still trying'));
    assert.equal(x.events.length, 2);
    assert.equal(x.dropped, 3);
    assert.equal(x.byFamily.nfs, 5);
  });
});
