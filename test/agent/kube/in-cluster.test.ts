import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inClusterApi } from '../../../src/agent/kube/api.ts';
import { cleanupsAfterFile, closeServer, tempDir } from '../../helpers/cleanup.ts';
import { selfSignedCert } from '../../helpers/tls.ts';

const cleanups = cleanupsAfterFile();

const saDir = () => tempDir(cleanups, 'faultline-sa-');

describe('in-cluster Kubernetes config', () => {
  it('talks TLS to KUBERNETES_SERVICE_HOST with the service account CA and token', async () => {
    const dir = saDir();
    // A self-signed serving certificate for the service IP, as the API server has for its ClusterIP.
    const tls = selfSignedCert(dir, 'kube-apiserver', 'IP:127.0.0.1');
    const sa = join(dir, 'serviceaccount');
    mkdirSync(sa);
    writeFileSync(join(sa, 'ca.crt'), readFileSync(tls.cert));
    writeFileSync(join(sa, 'token'), 'eyJhbGciOiJSUzI1NiJ9.sa-token\n');
    writeFileSync(join(sa, 'namespace'), 'faultline');

    const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
    const server = createServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Node","apiVersion":"v1"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => closeServer(server));
    const port = (server.address() as AddressInfo).port;

    const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port) };
    const api = inClusterApi({ env, serviceAccountDir: sa, timeoutMs: 5000 });
    assert.ok(api, 'in-cluster config detected');
    const res = await api.request(
      'PATCH',
      '/api/v1/nodes/worker-1/status',
      { status: { conditions: [] } },
      'application/strategic-merge-patch+json',
    );
    assert.equal(res.status, 200);
    assert.deepEqual(seen, [
      {
        method: 'PATCH',
        url: '/api/v1/nodes/worker-1/status',
        auth: 'Bearer eyJhbGciOiJSUzI1NiJ9.sa-token',
        body: '{"status":{"conditions":[]}}',
      },
    ]);
    // Not in a pod: no service host, or no mounted service account.
    assert.equal(inClusterApi({ env: {}, serviceAccountDir: sa, timeoutMs: 1000 }), undefined);
    assert.equal(inClusterApi({ env, serviceAccountDir: join(dir, 'missing'), timeoutMs: 1000 }), undefined);
  });

  it('refuses a server whose certificate the service account CA did not sign', async () => {
    const dir = saDir();
    const real = selfSignedCert(dir, 'real', 'IP:127.0.0.1');
    const impostor = selfSignedCert(dir, 'impostor', 'IP:127.0.0.1');
    const sa = join(dir, 'sa');
    mkdirSync(sa);
    writeFileSync(join(sa, 'ca.crt'), readFileSync(real.cert));
    writeFileSync(join(sa, 'token'), 't');
    const server = createServer(
      { key: readFileSync(impostor.key), cert: readFileSync(impostor.cert) },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => closeServer(server));
    const api = inClusterApi({
      env: {
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: String((server.address() as AddressInfo).port),
      },
      serviceAccountDir: sa,
      timeoutMs: 5000,
    });
    await assert.rejects(
      api!.request('GET', '/api/v1/nodes/x', undefined, 'application/json'),
      /self[- ]signed|certificate/i,
    );
  });
});
