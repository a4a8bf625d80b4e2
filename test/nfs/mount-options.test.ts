import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { errorAfterSeconds, majorTimeoutSeconds, parseNfsOptions } from '../../src/nfs/mount-options.ts';

describe('parseNfsOptions', () => {
  it('treats no soft/softerr as hard with TCP defaults', () => {
    const o = parseNfsOptions('nfsvers=4.1');
    assert.equal(o.recovery, 'hard');
    assert.equal(o.recoveryExplicit, false);
    assert.equal(o.timeo, 600);
    assert.equal(o.retrans, 2);
    assert.equal(errorAfterSeconds(o), null);
    assert.equal(majorTimeoutSeconds(o), 180);
  });

  it('gives the seed AFTER class (soft, timeo=100, retrans=2) a 30 s budget, not 60 s', () => {
    const o = parseNfsOptions(['nfsvers=4.1', 'soft', 'timeo=100', 'retrans=2', 'tcp']);
    assert.equal(o.recovery, 'soft');
    assert.equal(errorAfterSeconds(o), 30);
  });

  it('matches the worked examples in knowledge.md', () => {
    assert.equal(errorAfterSeconds(parseNfsOptions('softerr,timeo=600,retrans=5')), 360);
    assert.equal(errorAfterSeconds(parseNfsOptions('soft,timeo=1500,retrans=5')), 600);
    assert.equal(errorAfterSeconds(parseNfsOptions('soft')), 180);
  });

  it('uses UDP defaults and exponential backoff capped at 60 s per try', () => {
    const o = parseNfsOptions('soft,proto=udp');
    assert.equal(o.timeo, 11);
    assert.equal(o.retrans, 3);
    assert.equal(errorAfterSeconds(o), 1.1 + 2.2 + 4.4 + 8.8);
  });

  it('lets the last recovery option win, as the kernel does', () => {
    assert.equal(parseNfsOptions('soft,hard').recovery, 'hard');
    assert.equal(parseNfsOptions('hard,softerr').recovery, 'softerr');
  });

  it('reports unparseable values and keeps defaults', () => {
    const o = parseNfsOptions('timeo=abc,vers=9');
    assert.equal(o.timeo, 600);
    assert.deepEqual(
      o.invalid.map((i) => i.option),
      ['timeo=abc', 'vers=9'],
    );
  });

  it('flags ignored and cache-disabling options', () => {
    const o = parseNfsOptions('intr,noac,actimeo=0,lookupcache=none');
    assert.deepEqual(o.ignored, ['intr']);
    assert.deepEqual(o.cacheDisabling, ['noac', 'actimeo=0', 'lookupcache=none']);
  });

  // Properties: the parser never throws, and the computed budget respects the kernel caps.
  const optionArb = fc.oneof(
    fc.constantFrom(
      'hard',
      'soft',
      'softerr',
      'tcp',
      'udp',
      'intr',
      'noac',
      'nfsvers=4.1',
      'vers=3',
      'proto=udp',
    ),
    fc.nat(100000).map((n) => `timeo=${n}`),
    fc.nat(20).map((n) => `retrans=${n}`),
    fc.string({ maxLength: 12 }),
  );

  it('never throws and stays within kernel caps (property)', () => {
    fc.assert(
      fc.property(fc.array(optionArb, { maxLength: 12 }), (opts) => {
        const o = parseNfsOptions(opts);
        const m = majorTimeoutSeconds(o);
        assert.ok(m > 0);
        if (o.transport !== 'udp') assert.ok(m <= 600, `TCP timeout ${m} over cap`);
        else assert.ok(m <= 60 * (o.retrans + 1));
        const last = [...opts].reverse().find((x) => x === 'hard' || x === 'soft' || x === 'softerr');
        assert.equal(o.recovery, last ?? 'hard');
      }),
    );
  });

  it('parses the same options identically as a string or a list (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          optionArb.filter((s) => !/[,\s]/.test(s)),
          { maxLength: 10 },
        ),
        (opts) => {
          assert.deepEqual(parseNfsOptions(opts.join(',')), parseNfsOptions(opts));
        },
      ),
    );
  });
});
