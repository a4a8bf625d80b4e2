import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main.ts';
import { captureIO } from '../../helpers/io.ts';

const DIR = 'test/fixtures/timeline/catalog';
const FILES = [
  'worker-2-kern.log',
  'coredns.log',
  'cilium-agent.log',
  'kubelet.short-precise.log',
  'dmesg-T.txt',
];

// The catalog through the real readers: each format hands its message over differently (printk stamps
// left in kern.log, the CoreDNS level taken off, Cilium's 429 in logfmt error=, klog inside the journal).
describe('catalog over real-format fixtures (worker-2 NFS outage that recovers)', async () => {
  const io = captureIO({ cwd: join(process.cwd(), DIR) });
  const code = await main(['timeline', '--year', '2025', '--format', 'json', ...FILES], io);
  const report = JSON.parse(io.out()) as {
    events: {
      time: string;
      host: string;
      signature: string;
      fields: Record<string, string>;
      folded: unknown[];
    }[];
    incidents: { endedBy: string; nfsOutages: { server: string; start: string; end: string }[] }[];
    chain: { from: string; to: string; relation: string }[];
    stats: { unparsed: number };
    inferred: string[];
  };

  it('classifies every incident line, in time order, with no unparsed line', () => {
    assert.equal(code, 0, io.err());
    assert.equal(report.stats.unparsed, 0);
    assert.deepEqual(
      report.events.map((e) => [e.time.slice(11, 19), e.signature]),
      [
        ['10:14:02', 'nfs.server-not-responding'],
        ['10:15:12', 'dns.coredns-error'],
        ['10:15:14', 'dns.coredns-error'],
        ['10:16:05', 'hung-task.blocked'],
        ['10:16:36', 'cni.endpoint-rate-limited'],
        ['10:16:40', 'node.soft-lockup'],
        ['10:16:51', 'cni.regeneration-failed'],
        ['10:16:59', 'node.pleg-unhealthy'],
        ['10:17:02', 'node.not-ready'],
        ['10:17:40', 'nfs.server-ok'],
      ],
    );
  });

  it('extracts the fields through each format', () => {
    const by = (sig: string) => report.events.find((e) => e.signature === sig)!;
    assert.equal(by('nfs.server-not-responding').fields.server, '10.0.0.5');
    const hung = by('hung-task.blocked');
    assert.deepEqual(
      [hung.fields.task, hung.fields.pid, hung.fields.seconds, hung.fields.state],
      ['promtail', '3121', '122', 'D'],
    );
    assert.match(hung.fields.frames ?? '', /^rpc_wait_bit_killable, __rpc_execute, .*nfs_getattr$/);
    assert.equal(hung.folded.length, 19);
    assert.deepEqual(
      [by('dns.coredns-error').fields.host, by('dns.coredns-error').fields.resolver],
      ['registry-1.docker.io', '10.0.0.1:53'],
    );
    assert.equal(by('cni.regeneration-failed').fields.endpoint, '1834');
    assert.equal(by('node.not-ready').fields.node, 'worker-2');
    assert.equal(by('node.pleg-unhealthy').fields.ago, '3m0.527s');
  });

  it('one incident on worker-2, closed by the NFS OK; host-less inputs placed there and said so', () => {
    assert.equal(report.incidents.length, 1);
    assert.equal(report.incidents[0]?.endedBy, 'nfs-recovered');
    assert.deepEqual(
      report.incidents[0]?.nfsOutages.map((o) => [o.server, o.start, o.end]),
      [['10.0.0.5', '2025-03-03T10:14:02.000Z', '2025-03-03T10:17:40.000Z']],
    );
    assert.ok(report.events.every((e) => e.host === 'worker-2'));
    assert.ok(report.inferred.some((n) => n.includes('placed on worker-2')));
    assert.deepEqual(
      report.chain.map((l) => `${l.from}>${l.to}:${l.relation}`),
      ['storage>blocked-tasks:observed', 'blocked-tasks>dns:likely', 'dns>cni:likely', 'cni>node:likely'],
    );
  });

  it('kubectl describe ages are read against --now; the pod events join the incident', async () => {
    const io2 = captureIO({ cwd: join(process.cwd(), DIR) });
    const args = ['timeline', '--year', '2025', '--now', '2025-03-03T10:19:00Z', '--format', 'json'];
    assert.equal(await main([...args, ...FILES, 'describe-pod.txt'], io2), 0, io2.err());
    const r = JSON.parse(io2.out()) as typeof report;
    const pods = r.events.filter(
      (e) => e.signature.startsWith('kubelet.') && e.fields.podRef === 'monitoring/loki-0',
    );
    assert.deepEqual(
      pods.map((e) => [e.time, e.signature, e.fields.nfsError ?? e.fields.cniError]),
      [
        ['2025-03-03T10:16:20.000Z', 'kubelet.failed-mount', 'Connection timed out'],
        ['2025-03-03T10:16:36.000Z', 'kubelet.sandbox-failed', 'endpoint creation rate-limited (429)'],
      ],
    );
    assert.equal(r.incidents.length, 1);
    assert.deepEqual(
      r.chain.map((l) => `${l.from}>${l.to}:${l.relation}`),
      [
        'storage>blocked-tasks:observed',
        'blocked-tasks>dns:likely',
        'dns>cni:likely',
        'cni>pods:observed',
        'pods>node:likely',
      ],
    );
  });
});
