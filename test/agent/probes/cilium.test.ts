import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ciliumConfigSchema,
  ciliumProbe,
  componentsOf,
  rateLimited,
} from '../../../src/agent/probes/cilium.ts';
import { closeServer } from '../../helpers/cleanup.ts';
import { fixtureTree, sample, testEnv } from './env.ts';

const FIX = fileURLToPath(new URL('../../fixtures/agent/cilium/', import.meta.url));
const fixture = (name: string) => readFileSync(join(FIX, name), 'utf8');

const servers: Server[] = [];
after(async () => {
  for (const s of servers) await closeServer(s);
});

/** An HTTP server on a unix socket at <run>/cilium/cilium.sock, answering with `respond`. */
async function agentSocket(respond: (path: string) => { status: number; body: string } | 'hang') {
  const run = join(fixtureTree({ 'cilium/.keep': '' }), 'cilium', '..');
  const server = createServer((req, res) => {
    const r = respond(req.url ?? '');
    if (r === 'hang') return; // the agent accepted the connection and never answers
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(join(run, 'cilium', 'cilium.sock'), () => resolve()));
  return run;
}

async function metricsServer(bodies: string[]) {
  let i = 0;
  const server = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(bodies[Math.min(i++, bodies.length - 1)]);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const a = server.address() as { port: number };
  return `http://127.0.0.1:${a.port}/metrics`;
}

describe('cilium: parsing the real shapes', () => {
  it('lists components with a state, including cluster.ciliumHealth', () => {
    const c = componentsOf(JSON.parse(fixture('healthz-ok.json')));
    assert.deepEqual(
      c.map((x) => [x.name, x.state]),
      [
        ['auth-certificate-provider', 'Disabled'],
        ['cilium', 'Ok'],
        ['container-runtime', 'Disabled'],
        ['hubble', 'Ok'],
        ['kubernetes', 'Ok'],
        ['kvstore', 'Disabled'],
        ['cluster-health', 'Ok'],
      ],
    );
  });

  it('counts 429s from cilium_api_limiter_processed_requests_total (and outcome=fail without return_code)', () => {
    assert.equal(rateLimited(fixture('metrics-1.txt')), 4);
    assert.equal(
      rateLimited(
        'cilium_api_limiter_processed_requests_total{api_call="endpoint-create",outcome="fail"} 5\n',
      ),
      5,
    );
    assert.equal(rateLimited('other_metric 1\n'), undefined);
  });
});

describe('cilium probe against a local agent socket', () => {
  it('is ok for a healthy agent and lists non-disabled components', async () => {
    const run = await agentSocket((p) =>
      p === '/v1/healthz' ? { status: 200, body: fixture('healthz-ok.json') } : { status: 404, body: '' },
    );
    const env = testEnv({ run });
    const r = await ciliumProbe.create(ciliumConfigSchema.parse({}), env).run(AbortSignal.timeout(3000));
    assert.deepEqual(
      r.targets.map((t) => [t.check, t.reason]),
      [
        ['cilium', 'ok'],
        ['cilium:cilium', 'ok'],
        ['cilium:hubble', 'ok'],
        ['cilium:kubernetes', 'ok'],
        ['cilium:cluster-health', 'ok'],
      ],
    );
    const m = await env.metrics();
    assert.equal(sample(m, 'faultline_cilium_healthy'), 1);
    assert.equal(sample(m, 'faultline_cilium_component_healthy', { component: 'kubernetes' }), 1);
    assert.equal(sample(m, 'faultline_cilium_component_healthy', { component: 'kvstore' }), undefined);
  });

  it('reports Warning as degraded, Failure as failed, failing controllers and stale probes', async () => {
    const run = await agentSocket(() => ({ status: 200, body: fixture('healthz-degraded.json') }));
    const env = testEnv({ run });
    const r = await ciliumProbe.create(ciliumConfigSchema.parse({}), env).run(AbortSignal.timeout(3000));
    const by = Object.fromEntries(r.targets.map((t) => [t.check, t]));
    assert.equal(by['cilium:kubernetes']?.severity, 'degraded');
    assert.match(by['cilium:kubernetes']!.message, /i\/o timeout/);
    assert.equal(by['cilium:cluster-health']?.severity, 'failed');
    assert.equal(by.cilium?.reason, 'controllers_failing');
    assert.match(by.cilium!.message, /ipcache-inject-labels/);
    assert.deepEqual(by.cilium?.details?.stale, ['k8s-status']);
    assert.equal(sample(await env.metrics(), 'faultline_cilium_healthy'), 0);
  });

  it('says timeout for an agent that accepts but never answers, within the deadline', async () => {
    const run = await agentSocket(() => 'hang');
    const env = testEnv({ run });
    const t0 = Date.now();
    const r = await ciliumProbe.create(ciliumConfigSchema.parse({}), env).run(AbortSignal.timeout(300));
    // Without the deadline the run would never return; the bound is loose so a loaded CI machine passes.
    assert.ok(Date.now() - t0 < 20_000, `returned after ${Date.now() - t0} ms`);
    assert.deepEqual(
      r.targets.map((t) => [t.check, t.reason, t.severity]),
      [['cilium', 'timeout', 'failed']],
    );
    assert.equal(sample(await env.metrics(), 'faultline_cilium_healthy'), 0);
  });

  it('says refused when the socket file is there but no agent listens, and absent without a socket', async () => {
    const root = fixtureTree({ 'run/cilium/cilium.sock': '' });
    writeFileSync(join(root, 'run/cilium/cilium.sock'), ''); // a leftover file after the agent died
    const r = await ciliumProbe
      .create(ciliumConfigSchema.parse({}), testEnv({ run: join(root, 'run') }))
      .run(AbortSignal.timeout(3000));
    assert.deepEqual(
      r.targets.map((t) => [t.check, t.reason]),
      [['cilium', 'refused']],
    );
    const none = await ciliumProbe
      .create(ciliumConfigSchema.parse({}), testEnv({ run: join(fixtureTree({ x: '' }), 'run') }))
      .run(AbortSignal.timeout(3000));
    assert.equal(none.reason, 'absent');
    assert.deepEqual(none.targets, []);
  });

  it('counts new rate-limited API requests from the metrics endpoint', async () => {
    const run = await agentSocket(() => ({ status: 200, body: fixture('healthz-ok.json') }));
    const metricsUrl = await metricsServer([fixture('metrics-1.txt'), fixture('metrics-2.txt')]);
    const env = testEnv({ run });
    const probe = ciliumProbe.create(ciliumConfigSchema.parse({ metricsUrl }), env);
    const first = (await probe.run(AbortSignal.timeout(3000))).targets.find(
      (t) => t.check === 'cilium-api-rate-limit',
    )!;
    assert.equal(first.reason, 'ok'); // the first scrape is the baseline
    const second = (await probe.run(AbortSignal.timeout(3000))).targets.find(
      (t) => t.check === 'cilium-api-rate-limit',
    )!;
    assert.equal(second.reason, 'rate_limited');
    assert.equal(second.details?.new, 6);
    assert.equal(sample(await env.metrics(), 'faultline_cilium_api_rate_limited_total'), 6);
    assert.equal(ciliumConfigSchema.safeParse({ metricsUrl: 'ftp://x' }).success, false);
  });
});
