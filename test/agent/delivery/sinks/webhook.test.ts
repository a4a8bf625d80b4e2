import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { NFS_ALERT, removeTempDirs, sendThrough } from '../harness.ts';

after(removeTempDirs);

it('webhook: POSTs the alert JSON with a version field, the id header and custom headers', async () => {
  const { received, port } = await sendThrough(
    (url) => [
      {
        type: 'webhook',
        name: 'ops',
        url: `${url}/hooks/faultline?team=storage`,
        headers: { Authorization: 'Bearer s3cr3t' },
      },
    ],
    [NFS_ALERT],
  );
  const [r] = received;
  assert.equal(r?.method, 'POST');
  assert.equal(r.path, '/hooks/faultline?team=storage');
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers.authorization, 'Bearer s3cr3t');
  assert.equal(r.headers['x-faultline-alert-id'], '01JDQ4Z7K3N5V2M8X9A1B2C3D4');
  assert.equal(r.headers.host, `127.0.0.1:${port}`);
  // The body is the alert itself, every field as the agent made it, plus the schema version.
  assert.deepEqual(JSON.parse(r.body), { version: '1', ...NFS_ALERT });
});
