import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RawEvent } from '../../../src/timeline/correlate/extract.ts';
import { mergeByTime } from '../../../src/timeline/correlate/merge.ts';

function ev(
  inputIndex: number,
  line: number,
  time: number | null,
  quality: RawEvent['timeQuality'] = 'exact',
): RawEvent {
  return {
    inputIndex,
    time,
    timeQuality: time === null ? 'none' : quality,
    host: 'h',
    program: undefined,
    family: 'nfs',
    layer: 'storage',
    families: ['nfs'],
    layers: ['storage'],
    reporter: 'kernel',
    signature: 'nfs.server-not-responding',
    severity: 'high',
    fields: {},
    summary: '',
    message: `${inputIndex}:${line}`,
    source: { file: `f${inputIndex}`, line },
    folded: [],
  };
}

describe('merge by time', () => {
  it('interleaves inputs by time, stable for equal times (input order, then line order)', () => {
    const merged = mergeByTime([ev(0, 1, 10), ev(0, 2, 30), ev(0, 3, 30), ev(1, 1, 20), ev(1, 2, 30)]);
    assert.deepEqual(
      merged.map((e) => e.message),
      ['0:1', '1:1', '0:2', '0:3', '1:2'],
    );
    assert.deepEqual(
      merged.map((e) => e.id),
      [0, 1, 2, 3, 4],
    );
    assert.ok(merged.every((e) => !('inputIndex' in e)));
  });

  it('keeps an event with no time (or seconds since boot) right after its predecessor in the same input', () => {
    const merged = mergeByTime([
      ev(0, 1, null),
      ev(0, 2, 50),
      ev(0, 3, null),
      ev(0, 4, 5, 'relative'),
      ev(1, 1, 40),
      ev(1, 2, 60),
    ]);
    assert.deepEqual(
      merged.map((e) => e.message),
      ['0:1', '1:1', '0:2', '0:3', '0:4', '1:2'],
    );
  });

  it('property: each input keeps its own order, and wall-clock times never go backwards', () => {
    const input = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 3 }), fc.option(fc.integer({ min: 0, max: 50 }), { nil: null })),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(input, (rows) => {
        // Within one input, timed lines are in time order (as a log file is).
        const lastByInput = new Map<number, number>();
        const lineByInput = new Map<number, number>();
        const events = rows.map(([i, t]) => {
          const prev = lastByInput.get(i) ?? 0;
          const time = t === null ? null : prev + t;
          if (time !== null) lastByInput.set(i, time);
          const line = (lineByInput.get(i) ?? 0) + 1;
          lineByInput.set(i, line);
          return ev(i, line, time);
        });
        const merged = mergeByTime(events);
        assert.equal(merged.length, events.length);
        for (const i of lineByInput.keys()) {
          const lines = merged.filter((e) => e.source.file === `f${i}`).map((e) => e.source.line);
          assert.deepEqual(
            lines,
            [...lines].sort((a, b) => a - b),
          );
        }
        const times = merged.flatMap((e) => (e.time === null ? [] : [e.time]));
        assert.deepEqual(
          times,
          [...times].sort((a, b) => a - b),
        );
      }),
    );
  });
});
