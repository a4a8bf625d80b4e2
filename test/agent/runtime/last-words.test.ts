import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ProbeOutcome } from '../../../src/agent/runtime/harness.ts';
import { analysePreviousRun, Journal, readJournal } from '../../../src/agent/runtime/journal.ts';
import { collectLastWords, DStateHistory, podOfCgroup } from '../../../src/agent/runtime/last-words.ts';
import { previousBootAlert } from '../../../src/agent/runtime/previous-boot.ts';
import { suiteFrozenMount } from '../../helpers/bindfs.ts';
import { fixtureTree } from '../probes/env.ts';

const stat = (pid: number, comm: string, state: string) =>
  `${pid} (${comm}) ${state} 1 ${pid} ${pid} 0 -1 4194560 1234 0 0 0 10 5 0 0 20 0 1 0 12345 1000000 200 18446744073709551615\n`;
const POD = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const CONTAINER = 'a'.repeat(64);
const NFS_STACK = [
  '[<0>] rpc_wait_bit_killable+0x1e/0xa0 [sunrpc]',
  '[<0>] __rpc_execute+0x11d/0x3f0 [sunrpc]',
  '[<0>] nfs4_proc_getattr+0x6c/0x100 [nfsv4]',
  '[<0>] nfs_getattr+0x1e1/0x4a0 [nfs]',
].join('\n');
const MOUNTINFO = [
  '22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
  `1034 22 0:112 / /var/lib/kubelet/pods/${POD}/volumes/kubernetes.io~nfs/data rw,relatime - nfs4 nas.example:/export/loki rw,vers=4.1,hard,proto=tcp,addr=10.0.0.5`,
].join('\n');

function outcome(probe: string, at: string, counts?: Record<string, number>): ProbeOutcome {
  return {
    probe,
    startedAt: at,
    durationSeconds: 0.01,
    overran: false,
    firstRoundDone: true,
    result: {
      ok: true,
      reason: 'ok',
      message: 'scanned',
      targets: counts
        ? [
            {
              check: 'dstate',
              ok: false,
              reason: 'dstate_network_fs',
              message: '1 blocked',
              details: { counts },
            },
          ]
        : [],
    },
  };
}

function nodeTree(extraTasks = 0) {
  const files: Record<string, string> = {
    'proc/self/mountinfo': MOUNTINFO,
    'proc/100/task/100/stat': stat(100, 'loki', 'D'),
    'proc/100/task/100/wchan': 'rpc_wait_bit_killable',
    'proc/100/task/100/stack': `${NFS_STACK}\n`,
    'proc/100/fdinfo/3': 'pos:\t0\nflags:\t0100002\nmnt_id:\t1034\nino:\t5\n',
    'proc/100/cgroup': `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD.replaceAll('-', '_')}.slice/cri-containerd-${CONTAINER}.scope\n`,
    'proc/200/task/200/stat': stat(200, 'bash', 'S'),
  };
  for (let i = 0; i < extraTasks; i++) {
    const pid = 1000 + i;
    files[`proc/${pid}/task/${pid}/stat`] = stat(pid, `worker-${i}`, 'D');
    files[`proc/${pid}/task/${pid}/wchan`] = 'rpc_wait_bit_killable';
    files[`proc/${pid}/task/${pid}/stack`] = `${NFS_STACK}\n`;
  }
  return join(fixtureTree(files), 'proc');
}

describe('last words', () => {
  it('says what each blocked task waits on: stack, pod, container, mount and NFS server', async () => {
    const history = new DStateHistory(3);
    for (let i = 0; i < 5; i++) history.observe(outcome('dstate', `2026-11-14T02:5${i}:00.000Z`, { nfs: i }));
    const words = await collectLastWords({
      proc: nodeTree(),
      node: 'worker-2',
      signal: AbortSignal.timeout(10_000),
      mountinfoPid: 'self',
      history,
      outcomes: [outcome('nfs', '2026-11-14T02:55:00.000Z')],
      now: () => new Date('2026-11-14T02:55:05.000Z'),
    });
    assert.equal(words.at, '2026-11-14T02:55:05.000Z');
    assert.equal(words.blockedTotal, 1);
    assert.deepEqual(words.blocked, [
      {
        pid: 100,
        tid: 100,
        comm: 'loki',
        subsystem: 'nfs',
        wchan: 'rpc_wait_bit_killable',
        stack: NFS_STACK.split('\n'),
        podUid: POD,
        container: 'aaaaaaaaaaaa',
        mounts: [
          {
            mountPoint: `/var/lib/kubelet/pods/${POD}/volumes/kubernetes.io~nfs/data`,
            fsType: 'nfs4',
            source: 'nas.example:/export/loki',
            server: '10.0.0.5',
          },
        ],
      },
    ]);
    assert.deepEqual(
      words.dstateCounts.map((c) => c.counts.nfs),
      [2, 3, 4],
    );
    assert.deepEqual(
      words.probes.map((p) => p.probe),
      ['nfs'],
    );
    assert.equal(words.truncated, false);
  });

  it('stays within its byte bound and says it was cut', async () => {
    const words = await collectLastWords({
      proc: nodeTree(300),
      node: 'worker-2',
      signal: AbortSignal.timeout(20_000),
      mountinfoPid: 'self',
      history: new DStateHistory(),
      outcomes: [],
      limits: { maxBytes: 8 * 1024 },
    });
    assert.ok(JSON.stringify(words).length <= 8 * 1024);
    assert.equal(words.blockedTotal, 301);
    assert.ok(words.blocked.length > 0 && words.blocked.length < 64);
    assert.equal(words.truncated, true);
  });

  it('reads kubelet cgroup paths of both drivers', () => {
    assert.deepEqual(podOfCgroup(`12:pids:/kubepods/burstable/pod${POD}/${CONTAINER}\n`), {
      podUid: POD,
      container: 'aaaaaaaaaaaa',
    });
    assert.deepEqual(podOfCgroup('0::/system.slice/containerd.service\n'), {});
  });

  it('goes into the journal, and the previous-boot report says what was blocked on what', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-agentcore-lw-'));
    const words = await collectLastWords({
      proc: nodeTree(),
      node: 'worker-2',
      signal: AbortSignal.timeout(10_000),
      mountinfoPid: 'self',
      history: new DStateHistory(),
      outcomes: [],
    });
    const j = new Journal({
      dir,
      maxBytes: 1 << 20,
      boot: 'boot-a',
      snapshot: () => ({ states: {}, risk: { atRisk: true, signals: [] } }),
    });
    j.append({ t: 'start', boot: 'boot-a', version: 'test', node: 'worker-2' });
    j.append({ t: 'risk', atRisk: true, signals: ['hung-mounts', 'dstate-growth'], evidence: {} });
    j.append({ t: 'last-words', words });
    j.close();
    const prev = analysePreviousRun(readJournal(dir), 'boot-b');
    assert.deepEqual(prev?.lastWords, words);
    const alert = previousBootAlert(prev!, 'worker-2')!;
    assert.equal(alert.severity, 'critical');
    assert.match(
      alert.message,
      new RegExp(
        `Last words \\(.*\\): 1 task\\(s\\) in D state — loki \\(pid 100, pod ${POD}\\) waiting in rpc_wait_bit_killable \\[nfs\\] on nfs4 10\\.0\\.0\\.5 nas\\.example:/export/loki`,
      ),
    );
    assert.deepEqual(alert.evidence.lastWords, words);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('last words on the real kernel', () => {
  const frozenMount = suiteFrozenMount();

  it('collects tasks stuck on a frozen FUSE mount without touching it', async () => {
    const m = await frozenMount();
    const pids = await m.spawnDState(2);
    const t0 = performance.now();
    const words = await collectLastWords({
      proc: '/proc',
      node: 'lab',
      signal: AbortSignal.timeout(20_000),
      mountinfoPid: 'self',
      history: new DStateHistory(),
      outcomes: [],
    });
    // Generous: the point is that it returns at all while the mount is frozen.
    assert.ok(performance.now() - t0 < 20_000);
    for (const pid of pids) {
      const t = words.blocked.find((b) => b.pid === pid);
      assert.ok(t, `pid ${pid} listed`);
      assert.equal(t.subsystem, 'fuse');
      assert.ok(t.mounts.some((x) => x.mountPoint === m.mountpoint && x.fsType.startsWith('fuse')));
    }
    m.thaw();
  });
});
