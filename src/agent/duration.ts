/**
 * Durations in the agent config: a number with a unit ("500ms", "5s", "1.5s", "2m", "1h") → milliseconds.
 * Bare numbers are refused so the unit is never a guess. Shared by the agent config and the delivery
 * config (alerts, sinks); it imports neither, so both can use it without an import cycle.
 */
import { z } from 'zod';

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Node's timers hold a signed 32-bit millisecond count: a longer delay (≥ 596 h 31 min) is silently
 * replaced by 1 ms, and an `interval: 600h` becomes a busy loop. Every duration here ends up in a
 * timer, so longer ones are refused where they are written.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNITS_MS[m[2]!]!;
}

/**
 * A zod schema for a positive duration string; the output is milliseconds.
 * Defaults are given in milliseconds (`.default(1000)`): zod applies them after the transform.
 */
export function duration() {
  return z.string().transform((s, ctx) => {
    const ms = parseDuration(s);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `invalid duration '${s}' (use e.g. "500ms", "5s", "2m")` });
      return z.NEVER;
    }
    if (ms > MAX_DURATION_MS) {
      ctx.addIssue({
        code: 'custom',
        message: `duration '${s}' is too long: at most 596h (Node timers overflow beyond 2^31-1 ms and would fire every 1 ms)`,
      });
      return z.NEVER;
    }
    return Math.round(ms);
  });
}
