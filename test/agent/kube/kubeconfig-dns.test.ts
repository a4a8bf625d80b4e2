import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createKubeApi } from '../../../src/agent/kube/api.ts';
import { cleanupsAfterFile, closeServer, tempDir } from '../../helpers/cleanup.ts';

const cleanups = cleanupsAfterFile();

/** A kubeconfig naming the API server by a hostname that only the injected resolver knows. */
function kubeconfig(port: number): string {
  const dir = tempDir(cleanups, 'faultline-kubeconfig-');
  const file = join(dir, 'config');
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://apiserver.faultline.test:${port}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n`,
  );
  return file;
}

describe('kubeconfig API server by name', () => {
  it('connects through the agent resolver (not getaddrinfo), keeps its answer, and names the host when it fails', async () => {
    const hosts: string[] = [];
    const server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.setHeader('content-type', 'application/json');
      res.end('{"kind":"Node"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => closeServer(server));
    const port = (server.address() as AddressInfo).port;
    const file = kubeconfig(port);

    let calls = 0;
    const api = createKubeApi({
      kubeconfig: file,
      timeoutMs: 5000,
      resolver: async (host) => {
        calls++;
        assert.equal(host, 'apiserver.faultline.test');
        return ['127.0.0.1'];
      },
    });
    const a = await api.request('GET', '/api/v1/nodes/n1', undefined, 'application/json');
    const b = await api.request('GET', '/api/v1/nodes/n1', undefined, 'application/json');
    assert.equal(a.status, 200);
    assert.equal(b.body, '{"kind":"Node"}');
    // The name (never resolvable by the system resolver) went in the Host header; the address came from ours.
    assert.deepEqual(hosts, [`apiserver.faultline.test:${port}`, `apiserver.faultline.test:${port}`]);
    assert.equal(calls, 1, 'the second request reuses the first answer');

    const failing = createKubeApi({
      kubeconfig: file,
      timeoutMs: 5000,
      resolver: async () => {
        throw Object.assign(new Error('queryA ETIMEOUT apiserver.faultline.test'), { code: 'ETIMEOUT' });
      },
    });
    await assert.rejects(
      failing.request('GET', '/api/v1/nodes/n1', undefined, 'application/json'),
      /cannot resolve apiserver\.faultline\.test: queryA ETIMEOUT/,
    );
    assert.equal(hosts.length, 2, 'nothing was sent without an address');
  });
});
