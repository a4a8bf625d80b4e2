import type { RawEvent } from './extract.ts';
import type { TimelineEvent } from './types.ts';

/** True when the time can be compared across inputs (wall clock, not seconds since boot). */
export function isWallClock(e: {
  time: number | null;
  timeQuality: string;
}): e is { time: number; timeQuality: string } {
  return e.time !== null && e.timeQuality !== 'relative';
}

/**
 * Merge events of all inputs by time. The sort is stable; an event with no wall-clock time keeps its place
 * in its own input by taking the time of the event before it there (or sorting first when none has one).
 */
export function mergeByTime(events: readonly RawEvent[]): TimelineEvent[] {
  const lastTime = new Map<number, number>();
  const keyed = events.map((e, order) => {
    let key = Number.NEGATIVE_INFINITY;
    if (isWallClock(e)) {
      key = e.time;
      lastTime.set(e.inputIndex, e.time);
    } else {
      key = lastTime.get(e.inputIndex) ?? Number.NEGATIVE_INFINITY;
    }
    return { e, key, order };
  });
  keyed.sort((a, b) => a.key - b.key || a.order - b.order);
  return keyed.map(({ e }, id) => {
    const { inputIndex: _, ...rest } = e;
    return { id, ...rest };
  });
}
