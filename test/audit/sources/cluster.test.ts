import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCluster } from '../../../src/audit/sources/cluster.ts';
import { closeServer } from '../../helpers/cleanup.ts';

// List bodies as the API server returns them (items carry no kind/apiVersion).
const LISTS: Record<string, unknown> = {
  '/apis/storage.k8s.io/v1/storageclasses': {
    kind: 'StorageClassList',
    apiVersion: 'storage.k8s.io/v1',
    metadata: { resourceVersion: '1843300' },
    items: [
      {
        metadata: {
          name: 'truenas-nfs',
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
          uid: 'a1',
          resourceVersion: '1001',
          creationTimestamp: '2025-03-01T09:00:00Z',
        },
        provisioner: 'nfs.csi.k8s.io',
        parameters: { server: 'truenas.home.lex.la', share: '/mnt/pool/k8s' },
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'Immediate',
        mountOptions: ['nfsvers=4.1', 'soft', 'timeo=100', 'retrans=2', 'tcp'],
      },
    ],
  },
  '/api/v1/persistentvolumes': {
    kind: 'PersistentVolumeList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '1843300' },
    items: [
      {
        metadata: { name: 'pv-x', annotations: { 'pv.kubernetes.io/provisioned-by': 'nfs.csi.k8s.io' } },
        spec: {
          csi: { driver: 'nfs.csi.k8s.io', volumeHandle: 'truenas.home.lex.la#mnt/pool/k8s#pv-x##' },
          mountOptions: ['hard', 'timeo=600', 'nfsvers=4.1'],
          storageClassName: 'truenas-nfs',
        },
        status: { phase: 'Bound' },
      },
    ],
  },
  '/api/v1/persistentvolumeclaims': {
    kind: 'PersistentVolumeClaimList',
    apiVersion: 'v1',
    metadata: {},
    items: [],
  },
  '/api/v1/pods': { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] },
  '/api/v1/namespaces/kube-system/configmaps': {
    kind: 'ConfigMapList',
    apiVersion: 'v1',
    metadata: {},
    items: [
      {
        metadata: { name: 'cilium-config', namespace: 'kube-system' },
        data: { 'k8s-service-host': 'api.lan', 'kube-proxy-replacement': 'true' },
      },
      { metadata: { name: 'kube-root-ca.crt', namespace: 'kube-system' }, data: { 'ca.crt': '...' } },
    ],
  },
  '/apis/apps/v1/statefulsets': { kind: 'StatefulSetList', apiVersion: 'apps/v1', metadata: {}, items: [] },
  '/apis/apps/v1/deployments': { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: {}, items: [] },
  '/apis/apps/v1/daemonsets': { kind: 'DaemonSetList', apiVersion: 'apps/v1', metadata: {}, items: [] },
};

const NOT_FOUND = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the server could not find the requested resource',
  reason: 'NotFound',
  code: 404,
};

function kubeconfig(dir: string, server: string): string {
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
  - name: lab
    cluster:
      server: ${server}
      # client-node refuses plain http unless TLS verification is off (the test server has no TLS)
      insecure-skip-tls-verify: true
contexts:
  - name: lab-ctx
    context:
      cluster: lab
      user: admin
  - name: other
    context:
      cluster: lab
      user: admin
current-context: other
users:
  - name: admin
    user:
      token: test-token-123
`,
  );
  return file;
}

async function listen(
  handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const url = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

describe('--cluster against a local API server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-cluster-'));
  const seen: { path: string; auth: string | undefined }[] = [];
  let api: Server;
  let silent: Server;
  before(async () => {
    api = await listen((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      seen.push({ path, auth: req.headers.authorization });
      const body = LISTS[path];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? NOT_FOUND));
    });
    // Accepts connections and never answers: a hung API server.
    silent = await listen(() => {});
  });
  after(async () => {
    await closeServer(api);
    await closeServer(silent);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists StorageClasses, PVs, PVCs, Pods and kube-system ConfigMaps with the context and token', async () => {
    const r = await readCluster({
      kubeconfig: kubeconfig(dir, url(api)),
      context: 'lab-ctx',
      timeoutMs: 2000,
    });
    assert.deepEqual(r.errors, []);
    assert.equal(r.source, 'cluster:lab-ctx');
    assert.deepEqual(
      r.objects.map((o) => `${o.kind}/${o.name}`),
      ['StorageClass/truenas-nfs', 'PersistentVolume/pv-x', 'ConfigMap/cilium-config'],
    );
    const pv = r.objects.find((o) => o.kind === 'PersistentVolume')!;
    assert.equal(pv.apiVersion, 'v1');
    assert.equal(pv.body.kind, 'PersistentVolume', 'items get their kind back');
    assert.deepEqual(pv.location, { file: 'cluster:lab-ctx/PersistentVolume/pv-x' });
    assert.deepEqual(pv.locate(['spec', 'mountOptions', 0]), pv.location);
    assert.equal(
      r.objects.find((o) => o.kind === 'ConfigMap')!.location.file,
      'cluster:lab-ctx/ConfigMap/kube-system/cilium-config',
    );
    assert.ok(seen.length >= 8);
    assert.ok(seen.every((s) => s.auth === 'Bearer test-token-123'));
  });

  it('optional lists that 404 (no Argo CD / Flux CRDs) are not errors', async () => {
    const r = await readCluster({ kubeconfig: kubeconfig(dir, url(api)), timeoutMs: 2000 });
    assert.equal(r.source, 'cluster:other');
    assert.deepEqual(r.errors, []);
  });

  it('connection refused → one error entry, no objects, no throw', async () => {
    const closed = await listen(() => {});
    const port = url(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await readCluster({ kubeconfig: kubeconfig(dir, port), timeoutMs: 2000 });
    assert.equal(r.objects.length, 0);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!.message, /ECONNREFUSED/);
    assert.equal(r.errors[0]!.file, 'cluster:other/StorageClass');
  });

  it('a server that never answers → timeout error entry', async () => {
    const r = await readCluster({ kubeconfig: kubeconfig(dir, url(silent)), timeoutMs: 300 });
    assert.equal(r.objects.length, 0);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!.message, /no answer within 300 ms/);
  });

  it('issues its list requests concurrently (issue 9: one after another took ~100 s on a slow server)', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = await listen((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Hold each answer until a second request arrived or a generous while passed: no timing assert.
      const reply = () => {
        inFlight--;
        const body = LISTS[(req.url ?? '').split('?')[0]!];
        res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body ?? NOT_FOUND));
      };
      const started = Date.now();
      const poll = setInterval(() => {
        if (maxInFlight > 1 || Date.now() - started > 3000) {
          clearInterval(poll);
          reply();
        }
      }, 5);
    });
    try {
      const r = await readCluster({ kubeconfig: kubeconfig(dir, url(slow)), timeoutMs: 10_000 });
      assert.deepEqual(r.errors, []);
      assert.ok(maxInFlight > 1, `at most ${maxInFlight} request in flight`);
    } finally {
      await closeServer(slow);
    }
  });

  it('an answer that is not a List (JSON null, a Status without items) is an error for that list; the rest is read', async () => {
    const odd = await listen((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      const body =
        path === '/apis/storage.k8s.io/v1/storageclasses'
          ? null
          : path === '/api/v1/persistentvolumes'
            ? { kind: 'Status', apiVersion: 'v1', status: 'Success' }
            : (LISTS[path] ?? NOT_FOUND);
      res.writeHead(path in LISTS ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    try {
      const r = await readCluster({ kubeconfig: kubeconfig(dir, url(odd)), timeoutMs: 2000 });
      assert.deepEqual(r.errors, [
        {
          file: 'cluster:other/StorageClass',
          message: 'GET /apis/storage.k8s.io/v1/storageclasses: answer is not a List (no items[])',
        },
        {
          file: 'cluster:other/PersistentVolume',
          message: 'GET /api/v1/persistentvolumes: answer is not a List (no items[])',
        },
      ]);
      assert.deepEqual(
        r.objects.map((o) => `${o.kind}/${o.name}`),
        ['ConfigMap/cilium-config'],
      );
    } finally {
      await closeServer(odd);
    }
  });

  it('unknown context and unreadable kubeconfig are errors, not crashes', async () => {
    const r1 = await readCluster({ kubeconfig: kubeconfig(dir, url(api)), context: 'nope' });
    assert.match(r1.errors[0]!.message, /context 'nope' not found/);
    const r2 = await readCluster({ kubeconfig: join(dir, 'missing-kubeconfig') });
    assert.equal(r2.errors[0]!.file, join(dir, 'missing-kubeconfig'));
    assert.match(r2.errors[0]!.message, /ENOENT/);
  });
});
