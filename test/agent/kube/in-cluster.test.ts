import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inClusterApi } from '../../../src/agent/kube/api.ts';
import { requireExecutable } from '../../helpers/lab.ts';

const cleanups: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('in-cluster Kubernetes config', () => {
  it('talks TLS to KUBERNETES_SERVICE_HOST with the service account CA and token', async () => {
    const openssl = requireExecutable('openssl', 'openssl');
    const dir = mkdtempSync(join(tmpdir(), 'faultline-sa-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // A self-signed serving certificate for the service IP, as the API server has for its ClusterIP.
    const gen = spawnSync(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=kube-apiserver',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(gen.status, 0, gen.stderr);
    const sa = join(dir, 'serviceaccount');
    mkdirSync(sa);
    writeFileSync(join(sa, 'ca.crt'), readFileSync(join(dir, 'cert.pem')));
    writeFileSync(join(sa, 'token'), 'eyJhbGciOiJSUzI1NiJ9.sa-token\n');
    writeFileSync(join(sa, 'namespace'), 'faultline');

    const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
    const server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        let body = '';
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => {
          seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Node","apiVersion":"v1"}');
        });
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
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
    const openssl = requireExecutable('openssl', 'openssl');
    const dir = mkdtempSync(join(tmpdir(), 'faultline-sa-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const mk = (name: string) =>
      spawnSync(openssl, [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, `${name}.key`),
        '-out',
        join(dir, `${name}.pem`),
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]).status;
    assert.equal(mk('real'), 0);
    assert.equal(mk('impostor'), 0);
    const sa = join(dir, 'sa');
    mkdirSync(sa);
    writeFileSync(join(sa, 'ca.crt'), readFileSync(join(dir, 'real.pem')));
    writeFileSync(join(sa, 'token'), 't');
    const server = createServer(
      { key: readFileSync(join(dir, 'impostor.key')), cert: readFileSync(join(dir, 'impostor.pem')) },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
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
