import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAge, parseIso, parseZone, YearGuess } from '../../../src/timeline/sources/clock.ts';

describe('clock', () => {
  it('reads zone-less wall time in UTC, fixed offsets and IANA zones (with DST)', () => {
    const wall = Date.UTC(2025, 10, 14, 2, 54, 55);
    assert.equal(parseZone(undefined).toEpoch(wall), wall);
    assert.equal(parseZone('+02:00').toEpoch(wall), wall - 7_200_000);
    assert.equal(parseZone('-0530').toEpoch(wall), wall + 19_800_000);
    // Berlin is UTC+1 in November and UTC+2 in July.
    assert.equal(parseZone('Europe/Berlin').toEpoch(wall), wall - 3_600_000);
    assert.equal(parseZone('Europe/Berlin').toEpoch(Date.UTC(2025, 6, 1, 12)), Date.UTC(2025, 6, 1, 10));
    assert.throws(() => parseZone('Mars/Olympus'), /unknown time zone 'Mars\/Olympus'/);
  });

  it('parses RFC 3339 with any fraction and says whether the zone was in the text', () => {
    const z = parseZone('UTC');
    assert.deepEqual(parseIso('2025-11-14T02:58:40.123456789Z', z), {
      time: Date.UTC(2025, 10, 14, 2, 58, 40, 123),
      zoned: true,
    });
    assert.deepEqual(parseIso('2025-11-14T03:58:40+01:00', z), {
      time: Date.UTC(2025, 10, 14, 2, 58, 40),
      zoned: true,
    });
    assert.deepEqual(parseIso('2025-11-14 02:58:40', z), {
      time: Date.UTC(2025, 10, 14, 2, 58, 40),
      zoned: false,
    });
    assert.equal(parseIso('14/11/2025', z), undefined);
  });

  it('infers the year so the first line is not in the future, then follows Dec → Jan', () => {
    const z = parseZone('UTC');
    const now = Date.UTC(2026, 0, 2);
    const g = new YearGuess(now, z);
    assert.equal(g.resolve(11, 31, 23, 59, 58, 0), Date.UTC(2025, 11, 31, 23, 59, 58));
    assert.equal(g.resolve(0, 1, 0, 0, 1, 0), Date.UTC(2026, 0, 1, 0, 0, 1));
    const fixed = new YearGuess(now, z, 2025);
    assert.equal(fixed.resolve(10, 14, 2, 54, 55, 0), Date.UTC(2025, 10, 14, 2, 54, 55));
    // Same month as now, earlier day: this year.
    assert.equal(
      new YearGuess(Date.UTC(2025, 10, 20), z).resolve(10, 14, 0, 0, 0, 0),
      Date.UTC(2025, 10, 14),
    );
  });

  it("parses kubectl's human ages and refuses <unknown>", () => {
    assert.equal(parseAge('2m24s'), 144_000);
    assert.equal(parseAge('3m'), 180_000);
    assert.equal(parseAge('5d12h'), (5 * 24 + 12) * 3_600_000);
    assert.equal(parseAge('2y45d'), (2 * 365 + 45) * 86_400_000);
    assert.equal(parseAge('<unknown>'), undefined);
    assert.equal(parseAge('<invalid>'), undefined);
  });
});
