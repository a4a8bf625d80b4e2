import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { deliveryConfigSchema } from '../../../src/agent/delivery/config.ts';

function errors(input: unknown): string[] {
  const r = deliveryConfigSchema.safeParse(input);
  assert.equal(r.success, false, 'expected the config to be refused');
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('alerts config', () => {
  it('fills every default from an empty block', () => {
    assert.deepEqual(deliveryConfigSchema.parse({}), {
      sinks: [],
      retry: { initial: 1000, max: 300_000, factor: 2, jitter: 0.2 },
      rateLimit: { perKey: { count: 5, window: 600_000 } },
      dedupeWindow: 300_000,
      addressRefresh: 60_000,
      outbox: { maxEntries: 10_000, maxAgeSeconds: 86_400 },
    });
  });

  it('parses each sink type with its own fields and defaults', () => {
    const cfg = deliveryConfigSchema.parse({
      sinks: [
        { type: 'webhook', name: 'ops', url: 'https://hooks.example.com/faultline', timeout: '3s' },
        { type: 'slack', name: 'chat', url: 'https://hooks.slack.com/services/T0/B0/X' },
        { type: 'ntfy', name: 'phone', url: 'https://ntfy.sh', topic: 'node-alerts', priority: 'high' },
        {
          type: 'alertmanager',
          name: 'am',
          url: 'http://10.43.0.20:9093',
          labels: { cluster: 'prod' },
          generatorURL: 'http://grafana.example.com/d/faultline',
        },
      ],
      retry: { initial: '500ms', max: '1m' },
    });
    assert.deepEqual(cfg.sinks[0], {
      type: 'webhook',
      name: 'ops',
      url: 'https://hooks.example.com/faultline',
      headers: {},
      timeout: 3000,
    });
    assert.equal(cfg.sinks[2]?.type === 'ntfy' && cfg.sinks[2].priority, 4);
    assert.deepEqual(cfg.retry, { initial: 500, max: 60_000, factor: 2, jitter: 0.2 });
  });

  it('names the key and the problem for bad input', () => {
    assert.deepEqual(errors({ sink: [] }), [': Unrecognized key: "sink"']);
    assert.deepEqual(errors({ dedupeWindow: '5 minutes' }), [
      'dedupeWindow: invalid duration \'5 minutes\' (use e.g. "500ms", "5s", "2m")',
    ]);
    assert.deepEqual(errors({ dedupeWindow: 300 }), [
      'dedupeWindow: Invalid input: expected string, received number',
    ]);
    assert.deepEqual(errors({ sinks: [{ type: 'webhook', name: 'x', url: 'ftp://host/' }] }), [
      'sinks.0.url: url must be an http:// or https:// URL',
    ]);
    assert.deepEqual(errors({ sinks: [{ type: 'webhook', name: 'x', url: 'http://h/', topic: 't' }] }), [
      'sinks.0: Unrecognized key: "topic"',
    ]);
    assert.deepEqual(errors({ sinks: [{ type: 'ntfy', name: 'x', url: 'http://h/' }] }), [
      'sinks.0.topic: Invalid input: expected string, received undefined',
    ]);
    assert.deepEqual(
      errors({
        sinks: [
          { type: 'webhook', name: 'same', url: 'http://a/' },
          { type: 'slack', name: 'same', url: 'http://b/' },
        ],
      }),
      ["sinks.1.name: duplicate sink name 'same' (names key the outbox and metrics)"],
    );
    assert.deepEqual(errors({ retry: { initial: '10s', max: '1s' } }), [
      'retry.max: retry.max must be ≥ retry.initial',
    ]);
    assert.deepEqual(errors({ sinks: [{ type: 'webhook', name: 'has space', url: 'http://a/' }] }), [
      'sinks.0.name: sink name: letters, digits, "_", ".", "-" (at most 63)',
    ]);
  });

  it('refuses an unknown sink type, listing the known ones', () => {
    const r = deliveryConfigSchema.safeParse({ sinks: [{ type: 'pagerduty', name: 'p', url: 'http://a/' }] });
    assert.equal(r.success, false);
    assert.match(z.prettifyError(r.error!), /webhook.*slack.*ntfy.*alertmanager/s);
  });
});
