import assert from 'node:assert/strict';
import dns from 'node:dns';
import { after, describe, it } from 'node:test';
import { type Dnsmasq, startDnsmasq } from '../../../helpers/dnsmasq.ts';

async function lookup(server: string, name: string, timeout = 1000): Promise<string> {
  const r = new dns.promises.Resolver({ timeout, tries: 1 });
  r.setServers([server]);
  try {
    return (await r.resolve4(name)).join(',');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'error';
  }
}

describe('startDnsmasq (real dnsmasq)', () => {
  const started: Dnsmasq[] = [];
  after(async () => {
    for (const d of started) await d.stop();
  });

  it('answers records, NXDOMAIN, REFUSED, forwards, and times out while paused', async () => {
    const upstream = await startDnsmasq({ records: { 'up.fwd.test': '10.9.9.9' } });
    started.push(upstream);
    const d = await startDnsmasq({
      records: { 'kubernetes.default.svc.cluster.local': '10.43.0.1' },
      nxdomain: ['nx.test'],
      forward: { 'fwd.test': upstream.server },
    });
    started.push(d);
    assert.equal(await lookup(d.server, 'kubernetes.default.svc.cluster.local'), '10.43.0.1');
    assert.equal(await lookup(d.server, 'missing.nx.test'), 'ENOTFOUND');
    assert.equal(await lookup(d.server, 'unknown.example'), 'EREFUSED');
    assert.equal(await lookup(d.server, 'up.fwd.test'), '10.9.9.9');

    d.pause();
    assert.equal(await lookup(d.server, 'kubernetes.default.svc.cluster.local', 300), 'ETIMEOUT');
    d.resume();
    assert.equal(await lookup(d.server, 'kubernetes.default.svc.cluster.local'), '10.43.0.1');

    upstream.pause();
    assert.equal(await lookup(d.server, 'up.fwd.test', 500), 'ETIMEOUT');
    upstream.resume();
    assert.match(d.log(), /query\[A\] kubernetes\.default\.svc\.cluster\.local/);
  });
});
