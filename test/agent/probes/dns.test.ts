import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  classifyDnsError,
  dnsConfigSchema,
  dnsProbe,
  normalizeResolver,
  resolversOf,
} from '../../../src/agent/probes/dns.ts';
import { type Dnsmasq, startDnsmasq, startServfailUpstream } from '../../helpers/dnsmasq.ts';
import { detail, fixtureTree, sample, testEnv } from './env.ts';

describe('dns probe: parsing', () => {
  it('normalizes resolver addresses and reads resolv.conf nameservers', () => {
    assert.equal(normalizeResolver('10.43.0.10'), '10.43.0.10:53');
    assert.equal(normalizeResolver('127.0.0.1:5353'), '127.0.0.1:5353');
    assert.equal(normalizeResolver('fd00::a'), '[fd00::a]:53');
    assert.equal(normalizeResolver('[fd00::a]:5353'), '[fd00::a]:5353');
    assert.equal(normalizeResolver('dns.example.com'), undefined);
    assert.equal(dnsConfigSchema.safeParse({ resolvers: ['dns.example.com'] }).success, false);
    // Parsing is src/host/resolv-conf.ts (its own test); here: the "ip:port" form, scope dropped, deduplicated.
    const conf =
      'nameserver 127.0.0.53\nnameserver 192.168.1.1\nnameserver fe80::1%eth0\nnameserver 192.168.1.1\n';
    assert.deepEqual(resolversOf(conf), ['127.0.0.53:53', '192.168.1.1:53', '[fe80::1]:53']);
    assert.deepEqual(
      ['ETIMEOUT', 'ESERVFAIL', 'ENOTFOUND', 'EREFUSED', 'ECONNREFUSED'].map(classifyDnsError),
      ['timeout', 'servfail', 'nxdomain', 'refused', 'error'],
    );
  });
});

describe('dns probe against real dnsmasq', () => {
  let d: Dnsmasq;
  let upstream: { server: string; close(): Promise<void> };
  const noFiles = () => join(fixtureTree({ 'etc/hosts': '' }), 'etc');
  before(async () => {
    upstream = await startServfailUpstream();
    d = await startDnsmasq({
      records: { 'kubernetes.default.svc.cluster.local': '10.43.0.1', 'quay.io': '1.2.3.4' },
      nxdomain: ['nx.test'],
      forward: { 'fail.test': upstream.server },
    });
  });
  after(async () => {
    await d?.stop();
    await upstream?.close();
  });

  it('is ok when every name resolves, and asks cluster names only of cluster DNS', async () => {
    const env = testEnv({ etc: noFiles(), run: noFiles() });
    const probe = dnsProbe.create(dnsConfigSchema.parse({ clusterDns: [d.server], names: ['quay.io'] }), env);
    const r = await probe.run(AbortSignal.timeout(5000));
    assert.equal(r.targets.length, 1);
    const t = r.targets[0]!;
    assert.equal(t.check, `dns:${d.server}`);
    assert.equal(t.reason, 'ok', t.message);
    assert.deepEqual(
      detail<{ name: string }[]>(t, 'lookups').map((l) => l.name),
      ['quay.io', 'kubernetes.default.svc.cluster.local'],
    );
    const m = await env.metrics();
    assert.equal(sample(m, 'faultline_dns_up', { resolver: d.server }), 1);
    assert.equal(sample(m, 'faultline_dns_lookups_total', { resolver: d.server, result: 'ok' }), 2);
    assert.equal(sample(m, 'faultline_dns_lookups_total', { resolver: d.server, result: 'timeout' }), 0);
    await probe.close?.();
  });

  it('tells NXDOMAIN, SERVFAIL and REFUSED apart and is degraded when only some names fail', async () => {
    const env = testEnv({ etc: noFiles(), run: noFiles() });
    const names = ['quay.io', 'missing.nx.test', 'x.fail.test', 'unknown.example'];
    const probe = dnsProbe.create(dnsConfigSchema.parse({ resolvers: [d.server], names }), env);
    const t = (await probe.run(AbortSignal.timeout(5000))).targets[0]!;
    assert.deepEqual(
      detail<{ result: string }[]>(t, 'lookups').map((l) => l.result),
      ['ok', 'nxdomain', 'servfail', 'refused'],
    );
    assert.equal(t.severity, 'degraded');
    assert.equal(t.details?.successRatio, 0.25);
    assert.match(t.message, /3 of 4 names failed/);
    const m = await env.metrics();
    for (const result of ['nxdomain', 'servfail', 'refused']) {
      assert.equal(sample(m, 'faultline_dns_lookups_total', { resolver: d.server, result }), 1, result);
    }
    await probe.close?.();
  });

  it('is failed with reason timeout when the resolver is paused, and recovers', async () => {
    const env = testEnv({ etc: noFiles(), run: noFiles() });
    const probe = dnsProbe.create(
      dnsConfigSchema.parse({
        resolvers: [d.server],
        names: ['quay.io'],
        clusterDns: [],
        queryTimeoutMs: 300,
      }),
      env,
    );
    d.pause();
    try {
      const t = (await probe.run(AbortSignal.timeout(5000))).targets[0]!;
      assert.equal(t.reason, 'timeout');
      assert.equal(t.severity, 'failed');
      assert.equal(sample(await env.metrics(), 'faultline_dns_up', { resolver: d.server }), 0);
    } finally {
      d.resume();
    }
    const back = (await probe.run(AbortSignal.timeout(5000))).targets[0]!;
    assert.equal(back.reason, 'ok');
    await probe.close?.();
  });

  it('returns by the probe deadline even when the lookup timeout is longer', async () => {
    const env = testEnv({ etc: noFiles(), run: noFiles() });
    const probe = dnsProbe.create(
      dnsConfigSchema.parse({ resolvers: [d.server], names: ['quay.io'], queryTimeoutMs: 120_000 }),
      env,
    );
    d.pause();
    try {
      const t0 = Date.now();
      const t = (await probe.run(AbortSignal.timeout(300))).targets[0]!;
      assert.equal(t.reason, 'timeout');
      assert.ok(Date.now() - t0 < 60_000, 'cancelled at the deadline, not after the 120 s lookup timeout');
    } finally {
      d.resume();
    }
    await probe.close?.();
  });

  it('discovers resolvers from resolv.conf and systemd-resolved upstreams', async () => {
    const root = fixtureTree({
      'etc/resolv.conf': 'nameserver 127.0.0.53\noptions edns0 trust-ad\n',
      'run/systemd/resolve/resolv.conf': `nameserver 127.0.0.1\n`,
    });
    const env = testEnv({ etc: join(root, 'etc'), run: join(root, 'run') });
    const probe = dnsProbe.create(dnsConfigSchema.parse({ names: ['quay.io'], queryTimeoutMs: 300 }), env);
    const r = await probe.run(AbortSignal.timeout(5000));
    assert.deepEqual(
      r.targets.map((t) => [t.check, t.details?.sources]),
      [
        ['dns:127.0.0.53:53', ['resolv.conf']],
        ['dns:127.0.0.1:53', ['systemd-resolved']],
      ],
    );
    await probe.close?.();
  });
});
