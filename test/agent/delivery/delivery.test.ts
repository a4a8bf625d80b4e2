import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { Alert } from '../../../src/agent/delivery/alert.ts';
import { deliveryConfigSchema } from '../../../src/agent/delivery/config.ts';
import { createDelivery } from '../../../src/agent/delivery/index.ts';
import { startReceiver } from './receiver.ts';

export function alert(n: number, over: Partial<Alert> = {}): Alert {
  return {
    id: `a-${n}`,
    key: `mount:/mnt/${n}`,
    kind: 'transition',
    severity: 'critical',
    status: 'firing',
    node: 'node-1',
    check: `mount:/mnt/${n}`,
    title: `mount /mnt/${n} hangs`,
    message: 'stat() did not return within 5 s.',
    evidence: { timeoutMs: 5000 },
    createdAt: new Date().toISOString(),
    ...over,
  };
}

const quiet = () => {};

describe('createDelivery', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const stateDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'faultline-delivery-'));
    dirs.push(d);
    return d;
  };

  it('delivers an enqueued alert to a webhook and counts it', async () => {
    const rx = await startReceiver();
    const registry = new Registry();
    const config = deliveryConfigSchema.parse({
      sinks: [{ type: 'webhook', name: 'hook', url: `${rx.url}/alerts` }],
    });
    const d = await createDelivery(config, { stateDir: stateDir(), registry, log: quiet, node: 'node-1' });
    try {
      await d.enqueue(alert(1));
      await d.drain(10_000);
      assert.equal(rx.received.length, 1);
      const r = rx.received[0]!;
      assert.equal(r.path, '/alerts');
      assert.equal(r.headers['x-faultline-alert-id'], 'a-1');
      assert.equal(JSON.parse(r.body).id, 'a-1');
      const text = await registry.metrics();
      assert.match(text, /faultline_alerts_sent_total\{sink="hook"\} 1/);
      assert.match(text, /faultline_alert_outbox_pending 0/);
    } finally {
      await d.close();
      await rx.stop();
    }
  });
});
