/**
 * The "done when", on the bundled seed-shaped repo (examples/blast): a default hard-NFS
 * StorageClass, Loki on it, public hostnames behind HTTPRoutes, an Ingress and an app-template route,
 * no scheduling constraints.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseTarget } from '../../src/blast/analysis/index.ts';
import { blast } from '../../src/blast/blast.ts';
import type { BlastResult } from '../../src/blast/model.ts';

const CLUSTER = 'examples/blast/cluster';
const HARD = 'examples/blast/storage-hard';
const SOFT = 'examples/blast/storage-soft';
const NAS = 'nfs:truenas.home.lex.la';
const PUBLIC = ['aleksei.sviridk.in', 'eta.lex.la', 'job.lex.la', 'map.lex.la'];

async function one(paths: string[], target: string, extra: { nodeRoot?: string } = {}): Promise<BlastResult> {
  const r = await blast({ paths, targets: [parseTarget(target)], all: false, ...extra });
  assert.deepEqual(r.errors, []);
  assert.equal(r.results.length, 1);
  return r.results[0]!;
}

describe('blast on the seed-shaped repo', () => {
  it('hard default class: Loki hangs (direct), the public hostnames are lost through node freeze', async () => {
    const r = await one([CLUSTER, HARD], NAS);
    assert.equal(r.used, true);
    assert.equal(r.nodeFreeze, 'likely');
    const loki = r.victims.find((v) => v.unit.id === 'StatefulSet monitoring/loki')!;
    assert.equal(loki.role, 'direct');
    assert.equal(loki.impact, 'hang');
    assert.match(loki.how, /D state/);
    assert.match(loki.via.join(' '), /StorageClass truenas-nfs \(default class\)/);
    assert.deepEqual(loki.location, { file: `${HARD}/truenas-sc.yaml`, line: 16 }, 'the `hard` line');
    assert.deepEqual(
      r.victims.filter((v) => v.role === 'direct').map((v) => v.unit.id),
      ['StatefulSet monitoring/loki'],
    );
    const lost = r.hostnames.filter((h) => h.impact === 'node-freeze');
    assert.deepEqual(
      lost.map((h) => h.hostname),
      PUBLIC,
    );
    const eta = r.hostnames.find((h) => h.hostname === 'eta.lex.la')!;
    assert.equal(eta.via, 'HTTPRoute web/eta → Service web/eta → Deployment web/eta');
    const web = r.victims.find((v) => v.unit.id === 'Deployment web/eta')!;
    assert.equal(web.role, 'co-located');
    assert.equal(web.certainty, 'likely');
    assert.match(web.how, /no dependency on nfs:truenas\.home\.lex\.la of its own/);
    assert.equal(r.nodes.known, false);
    assert.equal(r.nodes.text, 'any node that schedules StatefulSet monitoring/loki');
  });

  it('soft class: the hostnames drop out and Loki gets I/O errors after 30 s (with the NFSv4 caveat)', async () => {
    const r = await one([CLUSTER, SOFT], NAS);
    assert.equal(r.nodeFreeze, 'none');
    assert.deepEqual(r.hostnames, []);
    assert.deepEqual(
      r.victims.map((v) => [v.unit.id, v.role, v.impact]),
      [['StatefulSet monitoring/loki', 'direct', 'io-errors']],
    );
    assert.match(r.victims[0]!.how, /^I\/O errors after 30 s \(soft: EIO; timeo=100, retrans=2\)/);
    assert.ok(
      r.notes.some((n) => /NFSv4\.1 soft gives up after 30 s only when the TCP connection breaks/.test(n)),
    );
  });

  it('a server nobody uses gives an empty blast', async () => {
    const r = await one([CLUSTER, HARD], 'nfs:backup.home.lex.la');
    assert.equal(r.used, false);
    assert.deepEqual(r.victims, []);
    assert.deepEqual(r.hostnames, []);
    assert.deepEqual(r.exposures, []);
    assert.equal(r.nodeFreeze, 'none');
    assert.match(r.summary, /empty blast/);
  });

  it('--all ranks the NAS first, then the CNI and the cluster DNS', async () => {
    const r = await blast({ paths: [CLUSTER, HARD], targets: [], all: true });
    assert.deepEqual(
      r.ranking!.map((x) => [x.rank, x.target.id, x.nodeFreeze, x.hostnamesLost]),
      [
        [1, NAS, 'likely', 4],
        [2, 'cni', 'none', 0],
        [3, 'dns:10.43.0.10', 'none', 0],
      ],
    );
    assert.deepEqual(
      r.results.map((x) => x.target.id),
      r.ranking!.map((x) => x.target.id),
    );
  });

  it('--all with the soft class: the NAS hits only Loki, no freeze, no hostname lost', async () => {
    const r = await blast({ paths: [CLUSTER, SOFT], targets: [], all: true });
    const nas = r.ranking!.find((x) => x.target.id === NAS)!;
    assert.equal(nas.nodeFreeze, 'none');
    assert.equal(nas.hostnamesLost, 0);
    assert.equal(nas.workloadsHit, 1);
  });

  it('dns:IP with the node read: the only upstream takes image pulls, NFS by name and Cilium with it', async () => {
    const r = await one([CLUSTER, HARD], 'dns:172.16.0.1', { nodeRoot: 'examples/audit/node-root' });
    assert.match(r.summary, /the only upstream/);
    const features = r.exposures.map((e) => e.label);
    assert.ok(features.some((f) => f.startsWith('node resolver 172.16.0.1')));
    assert.ok(features.includes('image pulls from ghcr.io'));
    assert.ok(features.includes('image pulls from docker.io'));
    assert.ok(features.some((f) => f.startsWith('NFS mounts of truenas.home.lex.la')));
    assert.ok(features.includes('Cilium k8sServiceHost k8s-cp-01.home.lex.la'));
    const loki = r.victims.find((v) => v.unit.id === 'StatefulSet monitoring/loki')!;
    assert.equal(loki.impact, 'cannot-start');
    const cilium = r.victims.find((v) => v.unit.id === 'HelmRelease kube-system/cilium')!;
    assert.match(cilium.how, /cilium#45077/);
    assert.match(r.order[0]!, /image pulls fail/);
    assert.ok(r.notes.some((n) => /FallbackDNS= \(8\.8\.8\.8 1\.1\.1\.1\) is not a failover/.test(n)));
  });

  it('dns:IP that the node does not use gives an empty blast', async () => {
    const r = await one([CLUSTER, HARD], 'dns:9.9.9.9', { nodeRoot: 'examples/audit/node-root' });
    assert.equal(r.used, false);
    assert.deepEqual(r.victims, []);
    assert.match(r.summary, /sends lookups to 172\.16\.0\.1/);
  });

  it('dns:IP without node facts is assumed to be the only resolver, and says so', async () => {
    const r = await one([CLUSTER, HARD], 'dns:172.16.0.1');
    assert.ok(r.notes.some((n) => /assumed to be the nodes' only resolver/.test(n)));
    assert.ok(r.victims.every((v) => v.certainty === 'likely'));
  });

  it('the node read with --node-root adds its live hard mount of the NAS as a freezer', async () => {
    const r = await one([CLUSTER, SOFT], NAS, { nodeRoot: 'examples/audit/node-root' });
    // The class is soft now, but the node still holds a hard mount made before the change.
    assert.equal(r.nodeFreeze, 'likely');
    assert.ok(r.victims.some((v) => v.unit.kind === 'HostMount' && v.impact === 'hang'));
    assert.deepEqual(
      r.hostnames.map((h) => h.hostname),
      PUBLIC,
    );
  });
});

describe('blast: CNI and cluster DNS on the seed-shaped repo', () => {
  it('cni: Cilium found; every pod-network workload cannot start new pods; hostnames hit, not lost', async () => {
    const r = await one([CLUSTER, HARD], 'cni');
    assert.match(r.summary, /^CNI \(cilium, cilium-config\)/);
    assert.equal(r.nodeFreeze, 'none');
    assert.ok(
      !r.victims.some((v) => v.unit.id === 'HelmRelease kube-system/cilium'),
      'the CNI is not its own victim',
    );
    assert.ok(r.victims.every((v) => v.impact === 'cannot-start' && v.certainty === 'likely'));
    const coredns = r.victims.find((v) => v.unit.id === 'Deployment kube-system/coredns')!;
    assert.match(coredns.how, /cluster DNS goes with it/);
    assert.deepEqual(
      r.hostnames.map((h) => [h.hostname, h.impact]),
      PUBLIC.map((h) => [h, 'cannot-start']),
    );
    assert.match(r.order[0]!, /CreatePodSandboxError/);
  });

  it('dns:<kube-dns ClusterIP>: ClusterFirst workloads degraded; CoreDNS itself (dnsPolicy Default) is not', async () => {
    const r = await one([CLUSTER, HARD], 'dns:10.43.0.10');
    assert.deepEqual(
      r.exposures.map((e) => e.label),
      ['Service kube-system/kube-dns (cluster DNS)'],
    );
    const ids = r.victims.map((v) => v.unit.id);
    assert.ok(ids.includes('Deployment web/eta'));
    assert.ok(!ids.includes('Deployment kube-system/coredns'));
    assert.ok(r.victims.every((v) => v.impact === 'degraded'));
  });
});

describe('blast: soft mounts past the node budget', () => {
  it('soft with kernel defaults (180 s) is a possible freeze at the default 120 s budget, none at --budget 300', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-blast-soft-'));
    try {
      writeFileSync(
        join(dir, 'sc.yaml'),
        readFileSync(`${SOFT}/truenas-sc.yaml`, 'utf8').replace('  - timeo=100\n  - retrans=2\n', ''),
      );
      const at120 = await one([CLUSTER, dir], NAS);
      assert.equal(at120.nodeFreeze, 'possible');
      assert.match(at120.victims[0]!.how, /I\/O errors after 180 s .*past the node's 120 s budget/);
      assert.deepEqual(at120.hostnames, [], 'a possible freeze does not take co-located workloads down');
      const r = await blast({ paths: [CLUSTER, dir], targets: [parseTarget(NAS)], all: false, budget: 300 });
      assert.equal(r.results[0]!.nodeFreeze, 'none');
      assert.equal(r.stats.budgetSeconds, 300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('blast on the audit example (PVs provisioned before the fix, a node with the live mount)', () => {
  it('the live hard mount is tied to its PersistentVolume, so Loki is the victim, not an unknown pod', async () => {
    const r = await one(['examples/audit/cluster'], NAS, { nodeRoot: 'examples/audit/node-root' });
    assert.equal(r.nodeFreeze, 'likely');
    assert.ok(!r.victims.some((v) => v.unit.kind === 'HostMount'));
    const loki = r.victims.find((v) => v.unit.id === 'StatefulSet monitoring/loki')!;
    assert.equal(loki.impact, 'hang', 'the PV kept hard although its class is soft now');
    assert.match(loki.via.join(' '), /PersistentVolume pvc-3f1c2a9e/);
  });
});
