import assert from 'node:assert/strict';
import { Resolver as DnsResolver } from 'node:dns/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  ADDRESSES_FILE,
  AddressBook,
  hostsFileAddresses,
  type Resolver,
  systemResolver,
} from '../../../src/agent/delivery/addresses.ts';
import { DELIVERY_DIR } from '../../../src/agent/delivery/index.ts';
import { startDnsmasq } from '../../helpers/dnsmasq.ts';
import { alert, deliveryFor, removeTempDirs, tempStateDir } from './harness.ts';
import { startReceiver } from './receiver.ts';

/** Queries one dnsmasq directly (c-ares), 500 ms per try, so a paused server fails fast. */
function resolverFor(server: string): Resolver & { calls: number } {
  const r = new DnsResolver({ timeout: 500, tries: 1 });
  r.setServers([server]);
  const fn = Object.assign(
    async (host: string) => {
      fn.calls++;
      return r.resolve4(host);
    },
    { calls: 0 },
  );
  return fn;
}

describe('addresses: no DNS at send time', () => {
  after(removeTempDirs);

  it('resolves at start, keeps sending from the cache while DNS is down, and after a restart', async () => {
    const dns = await startDnsmasq({ records: { 'alerts.lab.test': '127.0.0.1' } });
    const rx = await startReceiver();
    const stateDir = tempStateDir();
    const sinks = [{ type: 'webhook' as const, name: 'hook', url: `http://alerts.lab.test:${rx.port}/in` }];
    try {
      const resolver = resolverFor(dns.server);
      const first = await deliveryFor({ sinks, addressRefresh: '1h' }, { stateDir, resolver });
      assert.deepEqual(first.d.addresses.addresses('alerts.lab.test'), ['127.0.0.1']);
      const persisted = JSON.parse(readFileSync(join(stateDir, DELIVERY_DIR, ADDRESSES_FILE), 'utf8'));
      assert.deepEqual(persisted.hosts['alerts.lab.test'].addresses, ['127.0.0.1']);

      dns.pause();
      // A refresh during the outage fails and keeps the last-known-good address.
      await first.d.addresses.refresh();
      assert.deepEqual(first.d.addresses.addresses('alerts.lab.test'), ['127.0.0.1']);
      await first.d.enqueue(alert(1));
      await first.d.drain(10_000);
      assert.equal(rx.received.at(-1)?.headers.host, `alerts.lab.test:${rx.port}`, 'Host keeps the name');
      await first.d.close();

      // Restart while DNS is still down: the persisted address is enough.
      const again = resolverFor(dns.server);
      const second = await deliveryFor({ sinks, addressRefresh: '1h' }, { stateDir, resolver: again });
      assert.equal(again.calls, 1, 'the start-up resolution was tried (and failed)');
      await second.d.enqueue(alert(2));
      await second.d.drain(10_000);
      await second.d.close();
      assert.deepEqual(
        rx.received.map((r) => JSON.parse(r.body).id),
        ['alert-1', 'alert-2'],
      );
    } finally {
      await rx.stop();
      await dns.stop();
    }
  });

  it('calls no resolver while sending: resolver calls stay at the start-up one', async () => {
    const rx = await startReceiver();
    let calls = 0;
    const resolver: Resolver = async () => {
      calls++;
      return ['127.0.0.1'];
    };
    const { d } = await deliveryFor(
      {
        sinks: [{ type: 'webhook', name: 'hook', url: `http://receiver.invalid:${rx.port}/` }],
        addressRefresh: '1h',
      },
      { resolver },
    );
    try {
      assert.equal(calls, 1);
      for (let i = 0; i < 20; i++) await d.enqueue(alert(i));
      await d.drain(10_000);
      assert.equal(rx.received.length, 20);
      assert.equal(calls, 1, 'sending 20 alerts made no resolver call');
      assert.equal(d.addresses.resolverCalls, 1);
    } finally {
      await d.close();
      await rx.stop();
    }
  });

  it('a host never resolved fails the attempt with a clear error instead of asking DNS', async () => {
    const book = await AddressBook.open({
      stateDir: tempStateDir(),
      hosts: ['never.invalid'],
      refreshMs: 3_600_000,
      resolveTimeoutMs: 200,
      resolver: () => new Promise(() => {}),
    });
    try {
      const err = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
        book.lookup('never.invalid', { all: true }, (e) => resolve(e)),
      );
      assert.equal(err?.code, 'ENOTFOUND');
      assert.match(err.message, /never resolves names at send time/);
      // IP literals need no cache.
      assert.deepEqual(book.addresses('10.0.0.7'), ['10.0.0.7']);
      assert.deepEqual(book.addresses('::1'), ['::1']);
    } finally {
      book.close();
    }
  });

  it('answers lookups for one address or all, filtered by family', async () => {
    const book = await AddressBook.open({
      stateDir: tempStateDir(),
      hosts: ['dual.test'],
      refreshMs: 3_600_000,
      resolver: async () => ['192.0.2.10', '2001:db8::10'],
    });
    try {
      const all = await new Promise<unknown>((resolve) =>
        book.lookup('dual.test', { all: true }, (_e, a) => resolve(a)),
      );
      assert.deepEqual(all, [
        { address: '192.0.2.10', family: 4 },
        { address: '2001:db8::10', family: 6 },
      ]);
      const v6 = await new Promise<unknown[]>((resolve) =>
        book.lookup('dual.test', { family: 6 }, (_e, a, f) => resolve([a, f])),
      );
      assert.deepEqual(v6, ['2001:db8::10', 6]);
    } finally {
      book.close();
    }
  });

  it('the default resolver reads /etc/hosts first, then asks DNS with c-ares (A and AAAA)', async () => {
    const dns = await startDnsmasq({
      records: { 'am.lab.test': ['127.0.0.9', '::9'], 'v4only.lab.test': '10.1.2.3' },
      nxdomain: ['gone.test'],
    });
    const hosts = join(tempStateDir(), 'hosts');
    writeFileSync(
      hosts,
      '127.0.0.1 localhost\n10.9.9.9   pinned.lab.test  Pinned # comment\n# 1.1.1.1 pinned.lab.test\n',
    );
    try {
      const resolve = systemResolver({ hostsFile: hosts, servers: [dns.server], timeoutMs: 500 });
      assert.deepEqual(await resolve('pinned.lab.test'), ['10.9.9.9']);
      assert.deepEqual(await resolve('PINNED'), ['10.9.9.9']);
      assert.deepEqual(await resolve('am.lab.test'), ['127.0.0.9', '::9']);
      assert.deepEqual(await resolve('v4only.lab.test.'), ['10.1.2.3']);
      await assert.rejects(resolve('host.gone.test'), /ENOTFOUND/);
      dns.pause();
      await assert.rejects(resolve('am.lab.test'), /ETIMEOUT/);
      assert.deepEqual(hostsFileAddresses(hosts, 'localhost'), ['127.0.0.1']);
      assert.deepEqual(hostsFileAddresses(join(hosts, 'missing'), 'localhost'), []);
    } finally {
      await dns.stop();
    }
  });
});
