import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { NFS_ALERT, removeTempDirs, sendThrough } from '../harness.ts';

after(removeTempDirs);

it('slack: POSTs {text, blocks} in the incoming-webhook shape, escaping mrkdwn', async () => {
  const { received } = await sendThrough(
    (url) => [{ type: 'slack', name: 'chat', url: `${url}/services/T000/B000/XXXX` }],
    [
      { ...NFS_ALERT, message: 'Pods using <nfs> & friends hang.', evidence: { reason: 'rpc_timeout' } },
      {
        ...NFS_ALERT,
        id: 'resolved-1',
        status: 'resolved',
        severity: 'info',
        title: 'NFS server 10.0.0.5:2049 answers again',
        message: 'RPC NULL answered in 3 ms.',
        evidence: {},
        createdAt: '2026-11-25T16:45:00.000Z',
      },
    ],
  );
  const [firing, resolved] = received;
  assert.equal(firing?.path, '/services/T000/B000/XXXX');
  assert.equal(firing.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(firing.body), {
    text: '[FIRING critical] worker-3: NFS server 10.0.0.5:2049 accepts TCP but does not answer RPC',
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: 'FIRING critical: NFS server 10.0.0.5:2049 accepts TCP but does not answer RPC',
        },
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: ':red_circle: Pods using &lt;nfs&gt; &amp; friends hang.' },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Node*\nworker-3' },
          { type: 'mrkdwn', text: '*Check*\nnfs-server:10.0.0.5:2049' },
          { type: 'mrkdwn', text: '*Severity*\ncritical' },
          { type: 'mrkdwn', text: '*Kind*\ntransition' },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: '```{\n "reason": "rpc_timeout"\n}```' } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'detected 2026-11-25T16:40:12.345Z · alert id 01JDQ4Z7K3N5V2M8X9A1B2C3D4',
          },
        ],
      },
    ],
  });
  const r = JSON.parse(resolved!.body) as { text: string; blocks: Array<{ type: string }> };
  assert.equal(r.text, '[RESOLVED] worker-3: NFS server 10.0.0.5:2049 answers again');
  // No evidence block when there is no evidence.
  assert.deepEqual(
    r.blocks.map((b) => b.type),
    ['header', 'section', 'section', 'context'],
  );
});
