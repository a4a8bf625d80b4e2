import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Waiters } from '../../../src/agent/delivery/waiters.ts';

describe('Waiters', () => {
  it('resolves at once when the condition already holds', async () => {
    assert.equal(
      await new Waiters().until(
        () => 'now',
        1000,
        () => new Error('late'),
      ),
      'now',
    );
  });

  it('re-checks on notify() and stops checking once settled', async () => {
    const w = new Waiters();
    let value: number | undefined;
    let checks = 0;
    const p = w.until(
      () => {
        checks++;
        return value;
      },
      1000,
      () => new Error('late'),
    );
    w.notify();
    value = 7;
    w.notify();
    assert.equal(await p, 7);
    w.notify();
    assert.equal(checks, 3);
  });

  it('rejects with the given error after the timeout', async () => {
    await assert.rejects(
      new Waiters().until(
        () => undefined,
        20,
        () => new Error('nothing after 20 ms'),
      ),
      /nothing after 20 ms/,
    );
  });
});
