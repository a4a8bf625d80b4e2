import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { alert, deliveryFor, removeTempDirs } from './harness.ts';
import { startReceiver } from './receiver.ts';

describe('createDelivery', () => {
  after(removeTempDirs);

  it('delivers an enqueued alert to a webhook and counts it', async () => {
    const rx = await startReceiver();
    const { d, registry } = await deliveryFor({
      sinks: [{ type: 'webhook', name: 'hook', url: `${rx.url}/alerts` }],
    });
    try {
      await d.enqueue(alert(1));
      await d.drain(10_000);
      assert.equal(rx.received.length, 1);
      const r = rx.received[0]!;
      assert.equal(r.path, '/alerts');
      assert.equal(r.headers['x-faultline-alert-id'], 'alert-1');
      assert.equal(JSON.parse(r.body).id, 'alert-1');
      const text = await registry.metrics();
      assert.match(text, /faultline_alerts_sent_total\{sink="hook"\} 1/);
      assert.match(text, /faultline_alert_outbox_pending 0/);
    } finally {
      await d.close();
      await rx.stop();
    }
  });
});
