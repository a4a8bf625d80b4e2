import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { headerText } from '../../../../src/agent/delivery/sinks/ntfy.ts';
import { NFS_ALERT, removeTempDirs, sendThrough } from '../harness.ts';

after(removeTempDirs);

it('ntfy: POSTs the message to <server>/<topic> with Title, Priority and Tags headers', async () => {
  const { received } = await sendThrough(
    (url) => [
      { type: 'ntfy', name: 'phone', url: `${url}/`, topic: 'node-alerts', tags: ['k8s'] },
      { type: 'ntfy', name: 'fixed', url: `${url}/ntfy`, topic: 'quiet', priority: 'low' },
    ],
    [NFS_ALERT],
  );
  const byPath = new Map(received.map((r) => [r.path, r]));
  const r = byPath.get('/node-alerts');
  assert.ok(r, `paths: ${[...byPath.keys()].join(', ')}`);
  assert.equal(
    r.headers.title,
    'critical: worker-3: NFS server 10.0.0.5:2049 accepts TCP but does not answer RPC',
  );
  assert.equal(r.headers.priority, '5');
  assert.equal(r.headers.tags, 'rotating_light,faultline-transition,k8s');
  assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(r.headers['x-faultline-alert-id'], '01JDQ4Z7K3N5V2M8X9A1B2C3D4');
  assert.equal(
    r.body,
    'RPC NULL (program 100003 v4) got no reply within 2 s, 3 times in a row. Pods with hard NFS mounts from it will hang.\n\n' +
      'check: nfs-server:10.0.0.5:2049 · node: worker-3 · detected: 2026-11-25T16:40:12.345Z',
  );
  const q = byPath.get('/ntfy/quiet');
  assert.equal(q?.headers.priority, '2');
});

it('ntfy: non-ASCII header text travels as one RFC 2047 encoded-word', () => {
  assert.equal(headerText('plain ascii'), 'plain ascii');
  const enc = headerText('Mount /mnt/données hängt');
  assert.match(enc, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
  assert.equal(Buffer.from(enc.slice(10, -2), 'base64').toString('utf8'), 'Mount /mnt/données hängt');
  assert.equal(headerText('two\nlines'), 'two lines');
});
