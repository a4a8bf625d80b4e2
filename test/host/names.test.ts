import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cacheOnlyLookup, LastKnownGood, systemResolver } from '../../src/host/names.ts';
import { type Dnsmasq, startDnsmasq } from '../helpers/dnsmasq.ts';

describe('systemResolver against a real dnsmasq', () => {
  let dns: Dnsmasq;
  const dir = mkdtempSync(join(tmpdir(), 'fl-agentcore-names-'));
  const hostsFile = join(dir, 'hosts');
  before(async () => {
    dns = await startDnsmasq({ records: { 'nas.test': '127.0.0.2', 'only-dns.test': '127.0.0.3' } });
    writeFileSync(hostsFile, '127.0.0.1 localhost\n127.0.0.9 nas.test nas # the NAS\n');
  });
  after(async () => {
    await dns?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // The NFS probe asked DNS first and read /etc/hosts only on NXDOMAIN: for a name both know, it
  // watched another address than mount.nfs mounted (getaddrinfo with glibc's default
  // `hosts: files dns` takes /etc/hosts first).
  it('answers from /etc/hosts before DNS, as getaddrinfo with `hosts: files dns`', async () => {
    const resolve = systemResolver({ hostsFile, servers: [dns.server] });
    assert.deepEqual(await resolve('nas.test'), ['127.0.0.9']);
    assert.deepEqual(await resolve('NAS.'), ['127.0.0.9']);
    assert.deepEqual(await resolve('only-dns.test'), ['127.0.0.3']);
  });

  it('times out on a paused resolver instead of parking a thread', async () => {
    const resolve = systemResolver({ hostsFile, servers: [dns.server], timeoutMs: 200, tries: 1 });
    dns.pause();
    try {
      await assert.rejects(resolve('only-dns.test'), (e: NodeJS.ErrnoException) => e.code === 'ETIMEOUT');
      assert.deepEqual(await resolve('nas.test'), ['127.0.0.9']);
    } finally {
      dns.resume();
    }
  });
});

describe('LastKnownGood', () => {
  it('keeps the last answer through a failure and does not ask again before retryMs', async () => {
    let t = 0;
    let calls = 0;
    let fail = false;
    const names = new LastKnownGood({
      resolver: async () => {
        calls++;
        if (fail) throw new Error('ETIMEOUT');
        return [`10.0.0.${calls}`];
      },
      refreshMs: 1000,
      retryMs: 500,
      now: () => t,
    });
    await assert.rejects(
      new LastKnownGood({ resolver: async () => [], refreshMs: 1 }).addresses('x.test'),
      /no addresses/,
    );
    assert.deepEqual(await names.addresses('a.test'), ['10.0.0.1']);
    t = 999;
    assert.deepEqual(await names.addresses('a.test'), ['10.0.0.1']);
    assert.equal(calls, 1);
    fail = true;
    t = 1000;
    assert.deepEqual(await names.addresses('a.test'), ['10.0.0.1']);
    assert.equal(calls, 2);
    t = 1400;
    assert.deepEqual(await names.addresses('a.test'), ['10.0.0.1']);
    assert.equal(calls, 2, 'no retry inside retryMs');
    fail = false;
    t = 1600;
    assert.deepEqual(await names.addresses('a.test'), ['10.0.0.3']);
    assert.deepEqual(await names.addresses('192.0.2.1'), ['192.0.2.1']);
    assert.deepEqual(names.cached('a.test'), ['10.0.0.3']);
  });

  it('cacheOnlyLookup answers from the cache or ENOTFOUND, never a resolver', async () => {
    const lookup = cacheOnlyLookup((h) => (h === 'a.test' ? ['10.0.0.1', 'fd00::1'] : undefined));
    const one = await new Promise((res, rej) =>
      lookup('a.test', { family: 6 }, (e, a) => (e ? rej(e) : res(a))),
    );
    assert.equal(one, 'fd00::1');
    await assert.rejects(
      new Promise((res, rej) => lookup('b.test', {}, (e, a) => (e ? rej(e) : res(a)))),
      (e: NodeJS.ErrnoException) => e.code === 'ENOTFOUND',
    );
  });
});
