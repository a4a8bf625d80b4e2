import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePorts } from '../../../helpers/ports.ts';

describe('freePorts', () => {
  it('returns distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await freePorts(3);
    assert.equal(new Set(ports).size, 3);
    for (const p of ports) {
      const s = createServer();
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(p, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});
