import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dstateConfigSchema, dstateProbe } from '../../../src/agent/probes/dstate.ts';
import { parseKmsgRecord } from '../../../src/host/kmsg.ts';
import { parseMountStats } from '../../../src/host/mountstats.ts';
import { parsePressure } from '../../../src/host/pressure.ts';
import { parseStat } from '../../../src/host/tasks.ts';
import { parseHungTask } from '../../../src/kernel/hung-task.ts';
import { classifyStack as classify, parseStack } from '../../../src/kernel/stack.ts';
import { suiteFrozenMount } from '../../helpers/bindfs.ts';
import { fixtureTree, sample, testEnv } from './env.ts';

const FIX = fileURLToPath(new URL('../../fixtures/agent/dstate/', import.meta.url));
const fixture = (name: string) => readFileSync(join(FIX, name), 'utf8');
const stat = (pid: number, comm: string, state: string) =>
  `${pid} (${comm}) ${state} 1 ${pid} ${pid} 0 -1 4194560 1234 0 0 0 10 5 0 0 20 0 1 0 12345 1000000 200 18446744073709551615\n`;

describe('procfs parsers', () => {
  it('reads the state after the last ")" even when comm holds ") D ("', () => {
    assert.deepEqual(parseStat('4242 (evil) D (x) S 1 4242 4242 0'), {
      pid: 4242,
      comm: 'evil) D (x',
      state: 'S',
    });
    assert.equal(parseStat('garbage'), undefined);
  });

  it('classifies real stacks: NFS RPC wait, FUSE, page fault by open files, block, other', () => {
    assert.equal(classify('rpc_wait_bit_killable', parseStack(fixture('stack-nfs'))), 'nfs');
    assert.equal(classify('request_wait_answer', []), 'fuse');
    const pf = parseStack(fixture('stack-pagefault'));
    assert.equal(pf[0]?.symbol, 'folio_wait_bit_common');
    assert.equal(classify('folio_wait_bit_common', pf, ['ext4', 'fuse.bindfs']), 'fuse');
    assert.equal(classify('folio_wait_bit_common', pf, ['nfs4']), 'nfs');
    assert.equal(classify('folio_wait_bit_common', pf, ['ext4']), 'block');
    assert.equal(classify('io_schedule', parseStack(fixture('stack-block'))), 'block');
    assert.equal(classify('msleep', []), 'other');
  });

  it('parses PSI and mountstats (retransmissions = transmissions − ops, major timeouts)', () => {
    assert.deepEqual(parsePressure(fixture('pressure-io')).some, {
      avg10: 12.34,
      avg60: 5,
      avg300: 1.2,
      total: 123456789,
    });
    const ms = parseMountStats(fixture('mountstats'));
    assert.deepEqual(
      ms.map((m) => [m.server, m.mountPoint, m.retransmissions, m.majorTimeouts, m.xprt?.connectCount]),
      [
        [
          'truenas.home.lex.la',
          '/var/lib/kubelet/pods/3f1c/volumes/kubernetes.io~csi/pvc-1a2b/mount',
          6,
          1,
          2,
        ],
        ['10.0.0.7', '/mnt/backup', 4, 3, 3],
      ],
    );
  });

  it('parses kmsg records and hung-task lines regardless of facility', () => {
    const r = parseKmsgRecord(
      '11,2871,8845123456,-;INFO: task loki:25860 blocked for more than 120 seconds.',
    );
    assert.deepEqual(r, {
      seq: 2871,
      tsUsec: 8845123456,
      level: 3,
      message: 'INFO: task loki:25860 blocked for more than 120 seconds.',
    });
    assert.deepEqual(parseHungTask(r!.message), { task: 'loki', pid: 25860, seconds: 120 });
    assert.deepEqual(parseHungTask('INFO: task kworker/u8:2:123 blocked for more than 241 seconds.'), {
      task: 'kworker/u8:2',
      pid: 123,
      seconds: 241,
    });
  });
});

describe('dstate probe on a fixture /proc tree', () => {
  it('groups D-state processes by subsystem, reads PSI, kmsg and mountstats increments', async () => {
    const root = fixtureTree({
      'proc/self/mountinfo': fixture('mountinfo'),
      'proc/self/mountstats': fixture('mountstats'),
      'proc/pressure/io': fixture('pressure-io'),
      // 100: a process stuck in an NFS GETATTR (main thread).
      'proc/100/task/100/stat': stat(100, 'ls', 'D'),
      'proc/100/task/100/wchan': 'rpc_wait_bit_killable',
      'proc/100/task/100/stack': fixture('stack-nfs'),
      // 200: a multi-threaded server, main thread sleeping, one thread faulting on a FUSE file.
      'proc/200/task/200/stat': stat(200, 'loki', 'S'),
      'proc/200/task/201/stat': stat(201, 'loki', 'D'),
      'proc/200/task/201/wchan': 'folio_wait_bit_common',
      'proc/200/task/201/stack': fixture('stack-pagefault'),
      'proc/200/fdinfo/0': 'pos:\t0\nflags:\t0100002\nmnt_id:\t22\nino:\t5\n',
      'proc/200/fdinfo/7': 'pos:\t0\nflags:\t0100000\nmnt_id:\t1100\nino:\t1234\n',
      // 300: waiting for the block layer.
      'proc/300/task/300/stat': stat(300, 'jbd2/vda1-8', 'D'),
      'proc/300/task/300/wchan': 'io_schedule',
      'proc/300/task/300/stack': fixture('stack-block'),
      // 400: D state, nothing telling.
      'proc/400/task/400/stat': stat(400, 'weird', 'D'),
      'proc/400/task/400/wchan': 'msleep',
      // 600: an nfsd thread waiting on its own state lock (https://github.com/openzfs/zfs/pull/2828):
      // the node is the NFS server, not waiting on one — nfs4_* names in module nfsd are server code.
      'proc/600/task/600/stat': stat(600, 'nfsd', 'D'),
      'proc/600/task/600/wchan': 'mutex_lock',
      'proc/600/task/600/stack':
        '[<0>] mutex_lock+0x23/0x40\n[<0>] nfs4_lock_state+0x15/0x20 [nfsd]\n[<0>] nfsd4_renew+0x49/0xb0 [nfsd]\n[<0>] svc_process+0x112/0x160 [sunrpc]\n',
      // 500: running.
      'proc/500/task/500/stat': stat(500, 'bash', 'R'),
      kmsg: fixture('kmsg-history'),
    });
    const proc = join(root, 'proc');
    const env = testEnv({ proc, kmsg: join(root, 'kmsg') });
    const probe = dstateProbe.create(dstateConfigSchema.parse({}), env);
    try {
      const r1 = await probe.run(AbortSignal.timeout(5000));
      const by = (r: typeof r1) => Object.fromEntries(r.targets.map((t) => [t.check, t]));
      const t1 = by(r1);
      assert.equal(t1.dstate?.reason, 'dstate_network_fs');
      assert.equal(t1.dstate?.severity, 'degraded');
      assert.deepEqual(t1.dstate?.details?.counts, { nfs: 1, fuse: 1, block: 1, nfsd: 1, other: 1 });
      assert.equal(t1.dstate?.details?.scannedTasks, 7);
      let m = await env.metrics();
      for (const [s, v] of Object.entries({ nfs: 1, fuse: 1, block: 1, nfsd: 1, other: 1 })) {
        assert.equal(sample(m, 'faultline_dstate_processes', { subsystem: s }), v);
      }
      // The ring buffer's old report is history: evidence, not an alert, not counted.
      assert.equal(t1['kernel-hung-task']?.reason, 'ok');
      assert.deepEqual(t1['kernel-hung-task']?.details?.beforeStart, [
        { task: 'loki', pid: 25860, seconds: 120 },
      ]);
      assert.equal(sample(m, 'faultline_kernel_hung_task_reports_total'), 0);
      assert.equal(t1['pressure-io']?.reason, 'ok');
      assert.equal(
        sample(m, 'faultline_pressure_io_stalled_ratio', { kind: 'some', window: 'avg10' }),
        0.1234,
      );
      assert.equal(
        sample(m, 'faultline_pressure_io_stalled_ratio', { kind: 'full', window: 'avg10' }),
        0.0321,
      );
      // First sight of the mounts: totals since mount go into the counters, the checks stay ok.
      assert.equal(t1['nfs-client:172.16.0.5:2049']?.reason, 'ok');
      assert.equal(t1['nfs-client:10.0.0.7:20490']?.reason, 'ok');
      assert.equal(sample(m, 'faultline_nfs_rpc_retransmissions_total', { server: '172.16.0.5:2049' }), 6);
      assert.equal(sample(m, 'faultline_nfs_rpc_major_timeouts_total', { server: '10.0.0.7:20490' }), 3);

      // Next scan: new kernel report, more retransmissions on one server, a major timeout on the other.
      appendFileSync(
        join(root, 'kmsg'),
        '3,2990,9845123456,-;INFO: task postgres:31337 blocked for more than 241 seconds.\n',
      );
      writeFileSync(
        join(proc, 'self/mountstats'),
        fixture('mountstats')
          .replace('READ: 34096 34100 1', 'READ: 34100 34110 1')
          .replace('WRITE: 50 50 1', 'WRITE: 60 60 2'),
      );
      writeFileSync(
        join(proc, 'pressure/io'),
        'some avg10=55.00 avg60=20.00 avg300=5.00 total=200000000\nfull avg10=30.00 avg60=10.00 avg300=2.00 total=90000000\n',
      );
      const t2 = by(await probe.run(AbortSignal.timeout(5000)));
      assert.equal(t2['kernel-hung-task']?.reason, 'hung_task_reported');
      assert.equal(t2['kernel-hung-task']?.severity, 'failed');
      assert.match(t2['kernel-hung-task']!.message, /postgres:31337 blocked for more than 241 s/);
      assert.equal(t2['nfs-client:172.16.0.5:2049']?.reason, 'retransmissions');
      assert.equal(t2['nfs-client:172.16.0.5:2049']?.details?.newRetransmissions, 6);
      assert.equal(t2['nfs-client:10.0.0.7:20490']?.reason, 'major_timeouts');
      assert.equal(t2['pressure-io']?.reason, 'io_pressure');
      m = await env.metrics();
      assert.equal(sample(m, 'faultline_kernel_hung_task_reports_total'), 1);
      assert.equal(sample(m, 'faultline_nfs_rpc_retransmissions_total', { server: '172.16.0.5:2049' }), 12);
      assert.equal(sample(m, 'faultline_nfs_rpc_major_timeouts_total', { server: '10.0.0.7:20490' }), 4);
    } finally {
      await probe.close?.();
    }
  });

  it('keeps working without PSI, kmsg or mountstats', async () => {
    const root = fixtureTree({ 'proc/self/mountinfo': fixture('mountinfo') });
    const env = testEnv({ proc: join(root, 'proc'), kmsg: join(root, 'no-kmsg') });
    const probe = dstateProbe.create(dstateConfigSchema.parse({}), env);
    const r = await probe.run(AbortSignal.timeout(5000));
    assert.equal(r.ok, true);
    const by = Object.fromEntries(r.targets.map((t) => [t.check, t]));
    assert.equal(by.dstate?.reason, 'ok');
    assert.equal(by['kernel-hung-task']?.reason, 'unavailable');
    assert.equal(by['pressure-io']?.reason, 'unavailable');
    await probe.close?.();
  });
});

describe('dstate probe on the real kernel', () => {
  const frozenMount = suiteFrozenMount();

  it('counts processes held in D state by a frozen FUSE mount under fuse', async () => {
    const m = await frozenMount();
    const pids = await m.spawnDState(4);
    const env = testEnv();
    const probe = dstateProbe.create(dstateConfigSchema.parse({ top: 1000, kmsg: false }), env);
    const r = await probe.run(AbortSignal.timeout(20_000));
    const d = r.targets.find((t) => t.check === 'dstate')!;
    const top = d.details?.top as { pid: number; subsystem: string; wchan: string }[];
    for (const pid of pids) {
      const mine = top.find((p) => p.pid === pid);
      assert.ok(mine, `pid ${pid} found in D state`);
      assert.equal(mine.subsystem, 'fuse');
      assert.equal(mine.wchan, 'folio_wait_bit_common');
    }
    assert.ok((sample(await env.metrics(), 'faultline_dstate_processes', { subsystem: 'fuse' }) ?? 0) >= 4);
    m.thaw();
    await probe.close?.();
  });

  it('reads a hung-task line written to /dev/kmsg and counts only new ones', async () => {
    const env = testEnv();
    const probe = dstateProbe.create(dstateConfigSchema.parse({ pressure: false, mountstats: false }), env);
    try {
      await probe.run(AbortSignal.timeout(20_000)); // primes: everything already in the ring buffer is history
      const before = sample(await env.metrics(), 'faultline_kernel_hung_task_reports_total') ?? 0;
      const pid = randomInt(100_000, 4_000_000);
      // The trailing newline matters: without it the kernel keeps the record open for continuation
      // (pr_cont) and readers do not see it until the next record arrives.
      writeFileSync('/dev/kmsg', `<3>INFO: task loki:${pid} blocked for more than 120 seconds.\n`);
      const r = await probe.run(AbortSignal.timeout(20_000));
      const t = r.targets.find((x) => x.check === 'kernel-hung-task')!;
      assert.equal(t.reason, 'hung_task_reported', t.message);
      const reports = t.details?.reports as { task: string; pid: number; seconds: number }[];
      assert.ok(reports.some((x) => x.pid === pid && x.task === 'loki' && x.seconds === 120));
      assert.ok((sample(await env.metrics(), 'faultline_kernel_hung_task_reports_total') ?? 0) >= before + 1);
    } finally {
      await probe.close?.();
    }
  });
});
