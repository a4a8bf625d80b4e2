import { z } from 'zod';

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration written with a unit ("500ms", "5s", "2m", "1h") → milliseconds; bare numbers are refused
 * so the unit is never a guess. The same syntax as the rest of the agent config.
 * Defaults are given in milliseconds (`.default(1000)`): zod applies them after the transform.
 */
export function duration() {
  return z.string().transform((s, ctx) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(s.trim());
    const ms = m ? Number(m[1]) * UNITS_MS[m[2]!]! : Number.NaN;
    if (!(ms > 0)) {
      ctx.addIssue({ code: 'custom', message: `invalid duration '${s}' (use e.g. "500ms", "5s", "2m")` });
      return z.NEVER;
    }
    return ms;
  });
}
