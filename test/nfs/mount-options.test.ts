import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  conflictingOptions,
  errorAfterSeconds,
  majorTimeoutSeconds,
  parseNfsOptions,
  softBoundDependsOnTransport,
} from '../../src/nfs/mount-options.ts';
import { nfsOptionArb } from './arbitraries.ts';

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

  it("matches worked examples of the kernel's timeout arithmetic (xprt_calc_majortimeo, nfs(5) timeo/retrans)", () => {
    assert.equal(errorAfterSeconds(parseNfsOptions('softerr,timeo=600,retrans=5')), 360);
    assert.equal(errorAfterSeconds(parseNfsOptions('soft,timeo=1500,retrans=5')), 600);
    assert.equal(errorAfterSeconds(parseNfsOptions('soft')), 180);
  });

  it('uses UDP defaults and exponential back-off: timeo/10 × 2^retrans, capped at 60 s', () => {
    const o = parseNfsOptions('soft,proto=udp');
    assert.equal(o.timeo, 11);
    assert.equal(o.retrans, 3);
    // xprt_calc_majortimeo: 1.1 s << 3 = 8.8 s (not the sum of the tries).
    assert.equal(errorAfterSeconds(o), 8.8);
    assert.equal(errorAfterSeconds(parseNfsOptions('soft,udp,timeo=100,retrans=3')), 60);
  });

  it('caps the initial TCP timeout at 600 s like nfs_init_timeout_values', () => {
    assert.equal(majorTimeoutSeconds(parseNfsOptions('timeo=9000,retrans=0')), 600);
  });

  it('says when a soft bound depends on the transport breaking (NFSv4)', () => {
    assert.equal(softBoundDependsOnTransport(parseNfsOptions('soft,nfsvers=4.1')), true);
    assert.equal(
      softBoundDependsOnTransport(parseNfsOptions('soft')),
      true,
      'unpinned negotiates v4.2 first',
    );
    assert.equal(softBoundDependsOnTransport(parseNfsOptions('soft,vers=3')), false);
    assert.equal(softBoundDependsOnTransport(parseNfsOptions('hard,vers=4.2')), false);
  });

  it('finds options that contradict each other, but not synonyms', () => {
    assert.deepEqual(conflictingOptions(parseNfsOptions('soft,timeo=100,hard')), ['soft then hard']);
    assert.deepEqual(conflictingOptions(parseNfsOptions('tcp,proto=tcp6,nfsvers=4.1,v4.1')), []);
    assert.deepEqual(conflictingOptions(parseNfsOptions('vers=3,nfsvers=4.2')), ['vers=3 then nfsvers=4.2']);
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
  const optionArb = nfsOptionArb({
    timeo: { min: 0, max: 100000 },
    retrans: { min: 0, max: 20 },
    extra: ['proto=udp'],
    junk: true,
  });

  it('never throws and stays within kernel caps (property)', () => {
    fc.assert(
      fc.property(fc.array(optionArb, { maxLength: 12 }), (opts) => {
        const o = parseNfsOptions(opts);
        const m = majorTimeoutSeconds(o);
        assert.ok(m > 0);
        if (o.transport !== 'udp') assert.ok(m <= 600, `TCP timeout ${m} over cap`);
        else assert.ok(m <= 60, `UDP timeout ${m} over cap`);
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
