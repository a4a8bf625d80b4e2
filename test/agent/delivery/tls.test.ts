import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { closeServer } from '../../helpers/cleanup.ts';
import { selfSignedCert } from '../../helpers/tls.ts';
import { alert, deliveryFor, removeTempDirs, tempStateDir } from './harness.ts';

after(removeTempDirs);

it('https to a cached IP keeps the name for SNI, certificate check and Host', async () => {
  const { key, cert } = selfSignedCert(tempStateDir(), 'alerts.lab.test', 'DNS:alerts.lab.test');

  const seen: Array<{ servername: string | false | null; host: string | undefined; id: unknown }> = [];
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    seen.push({
      servername: (req.socket as TLSSocket).servername,
      host: req.headers.host,
      id: req.headers['x-faultline-alert-id'],
    });
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const { d } = await deliveryFor(
    { sinks: [{ type: 'webhook', name: 'tls', url: `https://alerts.lab.test:${port}/in`, caFile: cert }] },
    { resolver: async () => ['127.0.0.1'] },
  );
  try {
    await d.enqueue(alert(1));
    await d.drain(10_000);
    assert.deepEqual(seen, [
      { servername: 'alerts.lab.test', host: `alerts.lab.test:${port}`, id: 'alert-1' },
    ]);
  } finally {
    await d.close();
    await closeServer(server);
  }
});

it('a certificate for another name is refused, not sent to', async () => {
  const { key, cert } = selfSignedCert(tempStateDir(), 'someone-else.test', 'DNS:someone-else.test');
  let requests = 0;
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
    requests++;
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const { d, registry } = await deliveryFor(
    {
      sinks: [{ type: 'webhook', name: 'tls', url: `https://alerts.lab.test:${port}/in`, caFile: cert }],
      retry: { initial: '1h', max: '1h' },
    },
    { resolver: async () => ['127.0.0.1'] },
  );
  try {
    await d.enqueue(alert(1));
    const until = Date.now() + 10_000;
    while (!/faultline_alert_delivery_failures_total\{sink="tls"\} 1/.test(await registry.metrics())) {
      assert.ok(Date.now() < until, 'no failed attempt recorded');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(requests, 0);
    assert.equal(d.pending(), 1, 'kept for a retry: the certificate may be fixed');
  } finally {
    await d.close();
    await closeServer(server);
  }
});
