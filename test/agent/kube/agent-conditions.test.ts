import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAgentConfig } from '../../../src/agent/config.ts';
import { deliveryConfigSchema } from '../../../src/agent/delivery/config.ts';
import { createDelivery } from '../../../src/agent/delivery/index.ts';
import { createNodeReporter } from '../../../src/agent/kube/reporter.ts';
import { PROBES } from '../../../src/agent/probes/index.ts';
import { startAgent } from '../../../src/agent/runtime/agent.ts';
import { cleanupsAfterFile, closeServer, tempDir } from '../../helpers/cleanup.ts';
import { eventually } from '../../helpers/eventually.ts';
import { freePort } from '../../helpers/ports.ts';
import { otherProbesOff } from '../probes-off.ts';

const cleanups = cleanupsAfterFile();

const until = (cond: () => boolean, what: string) => eventually(what, cond, { ms: 90_000 });

describe('agent → Kubernetes', () => {
  it('a refused NFS server becomes NFSServerUnreachable=True on the Node and a Warning Event', async () => {
    const requests: { method: string; url: string; body: Record<string, unknown> }[] = [];
    const api = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', body: JSON.parse(raw) });
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
        res.end(raw);
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => closeServer(api));
    const dir = tempDir(cleanups, 'faultline-agent-kube-');
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:${(api.address() as AddressInfo).port}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n`,
    );
    const closed = await freePort(); // nothing listens: connections are refused
    const off = otherProbesOff(['nfs']);
    const config = parseAgentConfig(
      `listen: 127.0.0.1:0\nnode: worker-7\nstateDir: ${join(dir, 'state')}\ninterval: 500ms\ntimeout: 300ms\n` +
        `states:\n  failAfter: 1\nprobes:\n  nfs:\n    discover: false\n    servers: [127.0.0.1:${closed}]\n${off}` +
        `kubernetes:\n  enabled: true\n  kubeconfig: ${kubeconfig}\n`,
      'agent.yaml',
      { probes: PROBES, alertsSchema: deliveryConfigSchema, env: {} },
    );
    const log = () => {};
    const agent = await startAgent(config, {
      probes: PROBES,
      log,
      version: 'test',
      createQueue: (registry) =>
        createDelivery(deliveryConfigSchema.parse({}), {
          stateDir: config.stateDir,
          registry,
          log,
          node: config.node,
        }),
      createReporter: (registry) =>
        createNodeReporter(config.kubernetes, { node: config.node, registry, log }),
    });
    cleanups.push(() => agent.stop());

    const nfsCondition = () => {
      for (const r of requests.filter((x) => x.method === 'PATCH').reverse()) {
        const c = (r.body.status as { conditions: Record<string, string>[] }).conditions.find(
          (x) => x.type === 'NFSServerUnreachable',
        );
        if (c) return c;
      }
      return undefined;
    };
    await until(() => nfsCondition()?.status === 'True', 'NFSServerUnreachable=True patched');
    const patch = requests.find((r) => r.method === 'PATCH')!;
    assert.equal(patch.url, '/api/v1/nodes/worker-7/status');
    assert.equal(nfsCondition()?.reason, 'NFSServerUnreachable');
    assert.match(
      nfsCondition()?.message ?? '',
      new RegExp(`nfs-server:127\\.0\\.0\\.1:${closed} failed: .*refused`),
    );
    await until(
      () => requests.some((r) => r.method === 'POST' && r.body.reason === 'NFSServerUnreachable'),
      'the Warning event',
    );
    const event = requests.find((r) => r.method === 'POST' && r.body.reason === 'NFSServerUnreachable')!;
    assert.equal(event.url, '/api/v1/namespaces/default/events');
    assert.equal(event.body.type, 'Warning');
    assert.deepEqual(event.body.involvedObject, {
      apiVersion: 'v1',
      kind: 'Node',
      name: 'worker-7',
      uid: 'worker-7',
      namespace: '',
    });
    await agent.stop();
  });
});
