import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planOn } from '../fixtures.ts';

/** The plan on a node with this resolv.conf (and resolved.conf when given), and its node-lookup prediction. */
async function plan(target: string, resolvConf: string, resolvedConf?: string, duration = 30) {
  const files: Record<string, string> = { 'etc/resolv.conf': resolvConf };
  if (resolvedConf !== undefined) files['etc/systemd/resolved.conf'] = resolvedConf;
  const p = await planOn('dns-blackhole', files, target, duration, 'quay.io');
  return { p, lookup: p.predictions.find((x) => x.id === 'lookup:node')! };
}

describe('dns-blackhole plan', () => {
  it('the seed: DNS=172.16.0.1 + FallbackDNS=8.8.8.8 1.1.1.1 behind the stub — lookups fail, no failover', async () => {
    const { p, lookup } = await plan(
      '172.16.0.1',
      'nameserver 127.0.0.53\noptions edns0 trust-ad\n',
      '[Resolve]\nDNS=172.16.0.1\nFallbackDNS=8.8.8.8 1.1.1.1\n',
    );
    assert.equal(lookup.expect, 'errors');
    assert.match(lookup.because, /FallbackDNS=8\.8\.8\.8 1\.1\.1\.1 is not used/);
    assert.equal(lookup.evidence?.file, '/etc/systemd/resolved.conf');
    assert.equal(lookup.evidence?.line, 3);
    const byId = Object.fromEntries(p.predictions.map((x) => [x.id, x.expect]));
    assert.equal(byId['resolver:172.16.0.1:53'], 'unanswered');
    assert.equal(byId['resolver:8.8.8.8:53'], 'unaffected');
    assert.deepEqual(
      p.elements.map((e) => e.element),
      ['172.16.0.1 . udp . 53', '172.16.0.1 . tcp . 53'],
    );
  });

  it('two DNS= servers: resolved switches to the next one', async () => {
    const { lookup } = await plan(
      '172.16.0.1',
      'nameserver 127.0.0.53\n',
      '[Resolve]\nDNS=172.16.0.1 9.9.9.9\n',
    );
    assert.equal(lookup.expect, 'unaffected');
    assert.match(lookup.because, /resolved switches to the next DNS= server/);
  });

  it('plain resolv.conf with one nameserver: fails after timeout × attempts; a short drill gets a caveat', async () => {
    const { lookup } = await plan(
      '10.0.0.2',
      'nameserver 10.0.0.2\noptions timeout:3 attempts:4\n',
      undefined,
      10,
    );
    assert.equal(lookup.withinSeconds, 12);
    assert.match(lookup.caveats.join(' '), /drill longer than 12 s/);
  });

  it('a resolver the node does not use: lookups unaffected, noted', async () => {
    const { p, lookup } = await plan('10.9.9.9:5353', 'nameserver 10.0.0.2\nnameserver 10.0.0.3\n');
    assert.equal(lookup.expect, 'unaffected');
    assert.ok(p.predictions.some((x) => x.id === 'resolver:10.9.9.9:5353' && x.expect === 'unanswered'));
    assert.match(p.notes.join(' '), /not among this node's configured resolvers/);
  });
});
