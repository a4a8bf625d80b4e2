import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { backoffMs, Deduper, KeyedTokenBucket } from '../../../src/agent/delivery/policy.ts';
import { classify, parseRetryAfter } from '../../../src/agent/delivery/transport.ts';

describe('delivery policy', () => {
  it('backoff grows by the factor, is capped at max, and jitter stays within its fraction', () => {
    const p = { initial: 1000, max: 60_000, factor: 2, jitter: 0 };
    assert.deepEqual(
      [1, 2, 3, 4, 7, 20].map((a) => backoffMs(p, a)),
      [1000, 2000, 4000, 8000, 60_000, 60_000],
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (a, r) => {
          const j = { initial: 500, max: 30_000, factor: 3, jitter: 0.25 };
          const base = Math.min(j.max, j.initial * j.factor ** (a - 1));
          const w = backoffMs(j, a, () => r);
          return w >= Math.floor(base * 0.75) && w <= Math.min(j.max, Math.ceil(base * 1.25));
        },
      ),
    );
  });

  it('token bucket: count per window per key, refilling continuously', () => {
    let t = 0;
    const b = new KeyedTokenBucket(2, 60_000, () => t);
    assert.deepEqual([b.take('k'), b.take('k'), b.take('k'), b.take('other')], [true, true, false, true]);
    t = 29_999;
    assert.equal(b.take('k'), false, 'less than one token refilled');
    t = 30_000;
    assert.equal(b.take('k'), true, 'half a window refills one of two tokens');
    assert.equal(b.take('k'), false);
  });

  it('dedupe compares with the previous alert of the key, within the window', () => {
    const d = new Deduper(1000);
    const a = { key: 'k', status: 'firing' as const, severity: 'warning' as const };
    d.remember(a, 0);
    assert.equal(d.isDuplicate(a, 999), true);
    assert.equal(d.isDuplicate(a, 1000), false);
    assert.equal(d.isDuplicate({ ...a, severity: 'critical' }, 10), false);
    assert.equal(d.isDuplicate({ ...a, status: 'resolved' }, 10), false);
    assert.equal(d.isDuplicate({ ...a, key: 'other' }, 10), false);
  });

  it('classifies answers: 2xx ok; 408/425/429/5xx retry (with Retry-After); other codes are refusals', () => {
    assert.deepEqual(classify(204, '', undefined), { kind: 'ok', status: 204 });
    assert.deepEqual(classify(429, 'slow down', '7'), {
      kind: 'retry',
      status: 429,
      error: 'HTTP 429: slow down',
      retryAfterMs: 7000,
    });
    assert.deepEqual(classify(502, '', undefined), { kind: 'retry', status: 502, error: 'HTTP 502' });
    assert.deepEqual(classify(404, 'no such hook', undefined), {
      kind: 'reject',
      status: 404,
      error: 'HTTP 404: no such hook',
    });
    assert.equal(classify(301, '', undefined).kind, 'reject', 'redirects are not followed');
    const now = Date.parse('2026-11-25T16:00:00Z');
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 16:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });
});
