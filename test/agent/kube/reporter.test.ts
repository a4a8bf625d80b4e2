import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { Alert } from '../../../src/agent/delivery/alert.ts';
import { createNodeReporter, eventReason, STRATEGIC_MERGE_PATCH } from '../../../src/agent/kube/reporter.ts';
import type { CheckSnapshot } from '../../../src/agent/runtime/state.ts';
import { cleanupsAfterFile, closeServer, tempDir } from '../../helpers/cleanup.ts';
import { eventually } from '../../helpers/eventually.ts';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

const cleanups = cleanupsAfterFile();

/** A local API server answering node status patches and event creation with the real response shapes. */
async function fakeApiServer(
  opts: { hang?: boolean } = {},
): Promise<{ port: number; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'worker-1', uid: '9b0c5c9e-1f3e-4f7a-9f0e-7f5d6c1a2b3c', resourceVersion: '1042' },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: '2026-11-14T02:50:00Z',
          lastTransitionTime: '2026-11-01T00:00:00Z',
        },
      ],
    },
  };
  const server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        body: raw ? JSON.parse(raw) : undefined,
      });
      if (opts.hang) return; // accepts, never answers
      if (req.method === 'PATCH' && req.url === '/api/v1/nodes/worker-1/status') {
        // Strategic merge of status.conditions by type, as the API server does.
        const patch = JSON.parse(raw) as { status: { conditions: { type: string }[] } };
        for (const c of patch.status.conditions) {
          const i = node.status.conditions.findIndex((x) => x.type === c.type);
          if (i >= 0) node.status.conditions[i] = c as (typeof node.status.conditions)[number];
          else node.status.conditions.push(c as (typeof node.status.conditions)[number]);
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(node));
        return;
      }
      if (req.method === 'POST' && req.url === '/api/v1/namespaces/default/events') {
        const ev = JSON.parse(raw);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...ev, metadata: { ...ev.metadata, uid: 'e1', resourceVersion: '7' } }));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'NotFound',
          code: 404,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => closeServer(server));
  return { port: (server.address() as AddressInfo).port, received, server };
}

function kubeconfig(port: number): string {
  const dir = tempDir(cleanups, 'faultline-kube-');
  const file = join(dir, 'config');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: http://127.0.0.1:${port}
    insecure-skip-tls-verify: true
users:
- name: faultline
  user:
    token: test-token-123
contexts:
- name: local
  context:
    cluster: local
    user: faultline
current-context: local
`,
  );
  return file;
}

const until = (cond: () => boolean, what: string) => eventually(what, cond, { ms: 90_000, everyMs: 20 });

const T0 = '2026-11-14T02:57:30.000Z';
const OPTS = {
  nodeConditions: true,
  events: true,
  eventNamespace: 'default',
  heartbeat: 300_000,
  timeout: 2000,
  coalesce: 10,
  resync: 50,
};

const nfsDown: Record<string, CheckSnapshot> = {
  'nfs-server:10.0.0.5:2049': {
    state: 'failed',
    since: T0,
    reason: 'rpc_timeout',
    message: 'RPC NULL got no answer in 3 s',
  },
  'mount:/var/lib/loki': { state: 'ok', since: T0, reason: 'ok', message: '' },
  'dns:10.43.0.10:53': { state: 'degraded', since: T0, reason: 'slow', message: 'answers in 2.1 s' },
};

describe('NodeConditions and Events', () => {
  it('PATCHes status.conditions as a strategic merge patch with NPD-style conditions', async () => {
    const api = await fakeApiServer();
    let now = new Date(T0);
    const reporter = createNodeReporter(
      { ...OPTS, kubeconfig: kubeconfig(api.port) },
      { node: 'worker-1', registry: new Registry(), log: () => {}, now: () => now },
    );
    cleanups.push(() => reporter.stop());
    reporter.update(nfsDown, { atRisk: false, signals: [], evidence: {} });
    await until(() => api.received.length === 1, 'the first PATCH');
    const first = api.received[0]!;
    assert.equal(first.method, 'PATCH');
    assert.equal(first.url, '/api/v1/nodes/worker-1/status');
    assert.equal(first.contentType, STRATEGIC_MERGE_PATCH);
    assert.equal(first.authorization, 'Bearer test-token-123');
    assert.deepEqual(first.body, {
      status: {
        conditions: [
          {
            type: 'NFSServerUnreachable',
            status: 'True',
            reason: 'NFSServerUnreachable',
            message: 'nfs-server:10.0.0.5:2049 failed: RPC NULL got no answer in 3 s',
            lastHeartbeatTime: T0,
            lastTransitionTime: T0,
          },
          {
            type: 'MountHung',
            status: 'False',
            reason: 'MountsResponsive',
            message: 'every watched network and FUSE mount answers stat',
            lastHeartbeatTime: T0,
            lastTransitionTime: T0,
          },
          {
            type: 'DNSDegraded',
            status: 'True',
            reason: 'DNSDegraded',
            message: 'dns:10.43.0.10:53 degraded: answers in 2.1 s',
            lastHeartbeatTime: T0,
            lastTransitionTime: T0,
          },
          {
            type: 'CNIUnhealthy',
            status: 'False',
            reason: 'CNIHealthy',
            message: 'the CNI agent reports healthy',
            lastHeartbeatTime: T0,
            lastTransitionTime: T0,
          },
          {
            type: 'NodeAtRisk',
            status: 'False',
            reason: 'NoFreezeSignals',
            message: 'no combination of freeze signals',
            lastHeartbeatTime: T0,
            lastTransitionTime: T0,
          },
        ],
      },
    });

    // Same states again: nothing new to send. Then the NFS server recovers and the node is at risk.
    reporter.update(nfsDown, { atRisk: false, signals: [], evidence: {} });
    now = new Date('2026-11-14T02:58:00.000Z');
    reporter.update(
      {
        ...nfsDown,
        'nfs-server:10.0.0.5:2049': { state: 'ok', since: now.toISOString(), reason: 'ok', message: '' },
      },
      { atRisk: true, signals: ['hung-mounts', 'dstate-growing'], evidence: {} },
    );
    await until(() => api.received.length === 2, 'the second PATCH');
    const second = (api.received[1]!.body as { status: { conditions: Record<string, string>[] } }).status
      .conditions;
    const byType = Object.fromEntries(second.map((c) => [c.type, c]));
    assert.deepEqual(byType.NFSServerUnreachable, {
      type: 'NFSServerUnreachable',
      status: 'False',
      reason: 'NFSServersReachable',
      message: 'every watched NFS server answers RPC',
      lastHeartbeatTime: '2026-11-14T02:58:00.000Z',
      lastTransitionTime: '2026-11-14T02:58:00.000Z',
    });
    // Unchanged status keeps its transition time; the heartbeat moves.
    assert.equal(byType.MountHung?.lastTransitionTime, T0);
    assert.equal(byType.MountHung?.lastHeartbeatTime, '2026-11-14T02:58:00.000Z');
    assert.deepEqual(byType.NodeAtRisk, {
      type: 'NodeAtRisk',
      status: 'True',
      reason: 'FreezeSignals',
      message: 'freeze signals together: hung-mounts, dstate-growing',
      lastHeartbeatTime: '2026-11-14T02:58:00.000Z',
      lastTransitionTime: '2026-11-14T02:58:00.000Z',
    });
    assert.equal(api.received.length, 2, 'an unchanged update sent nothing');
  });

  it('creates v1 Events about the Node with source component faultline', async () => {
    const api = await fakeApiServer();
    const reporter = createNodeReporter(
      { ...OPTS, kubeconfig: kubeconfig(api.port) },
      { node: 'worker-1', registry: new Registry(), log: () => {}, now: () => new Date(T0) },
    );
    cleanups.push(() => reporter.stop());
    const alert: Alert = {
      id: 'a1',
      key: 'mount:/var/lib/loki',
      kind: 'transition',
      severity: 'critical',
      status: 'firing',
      node: 'worker-1',
      check: 'mount:/var/lib/loki',
      title: 'mount:/var/lib/loki is failed: hung',
      message: 'stat did not return within 3 s',
      evidence: {},
      createdAt: T0,
    };
    reporter.event(alert);
    reporter.event({
      ...alert,
      id: 'a2',
      status: 'resolved',
      severity: 'info',
      title: 'mount:/var/lib/loki recovered (was failed)',
      message: '',
    });
    await until(() => api.received.length === 2, 'two events');
    const [e1, e2] = api.received.map((r) => r.body as Record<string, unknown>);
    assert.equal(api.received[0]!.url, '/api/v1/namespaces/default/events');
    assert.match(String((e1!.metadata as { name: string }).name), /^worker-1\.[0-9a-f]{16}$/);
    assert.deepEqual(
      { ...e1, metadata: undefined },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: undefined,
        involvedObject: { apiVersion: 'v1', kind: 'Node', name: 'worker-1', uid: 'worker-1', namespace: '' },
        reason: 'MountHung',
        message: 'mount:/var/lib/loki is failed: hung: stat did not return within 3 s',
        source: { component: 'faultline', host: 'worker-1' },
        reportingComponent: 'faultline',
        reportingInstance: 'worker-1',
        firstTimestamp: T0,
        lastTimestamp: T0,
        count: 1,
        type: 'Warning',
      },
    );
    assert.equal(e2!.reason, 'MountsResponsive');
    assert.equal(e2!.type, 'Normal');
    assert.equal(
      eventReason({ ...alert, kind: 'previous-boot', evidence: { rebooted: true } }),
      'NodeRebooted',
    );
    assert.equal(eventReason({ ...alert, kind: 'node-at-risk' }), 'NodeAtRisk');
  });

  it('an API server that never answers costs nothing but counted errors, and the patch is retried', async () => {
    const api = await fakeApiServer({ hang: true });
    const registry = new Registry();
    const reporter = createNodeReporter(
      { ...OPTS, timeout: 200, kubeconfig: kubeconfig(api.port) },
      { node: 'worker-1', registry, log: () => {} },
    );
    cleanups.push(() => reporter.stop());
    // update() and event() return at once: nothing is awaited by the caller.
    reporter.update(nfsDown, { atRisk: false, signals: [], evidence: {} });
    reporter.event({
      id: 'x',
      key: 'k',
      kind: 'transition',
      severity: 'warning',
      status: 'firing',
      node: 'worker-1',
      check: 'dns:1.1.1.1:53',
      title: 't',
      message: '',
      evidence: {},
      createdAt: T0,
    });
    const errors = async () => {
      const v = (await registry.getSingleMetric('faultline_kubernetes_requests_total')!.get()).values;
      return v.filter((x) => x.labels.result === 'error').reduce((s, x) => s + x.value, 0);
    };
    let seen = 0;
    await until(() => {
      void errors().then((n) => {
        seen = n;
      });
      return seen >= 3;
    }, 'timed-out requests counted as errors');
    const patches = api.received.filter((r) => r.method === 'PATCH').length;
    assert.ok(patches >= 2, `the failed PATCH was retried (${patches})`);
  });
});
