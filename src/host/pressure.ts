/**
 * PSI (Documentation/accounting/psi.rst): <proc>/pressure/io holds
 *   some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *   full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * avgN are percentages of wall time in which some (or all non-idle) tasks stalled on IO.
 */

export interface PressureLine {
  avg10: number;
  avg60: number;
  avg300: number;
  /** Total stall time in microseconds. */
  total: number;
}

export interface Pressure {
  some?: PressureLine;
  full?: PressureLine;
}

export function parsePressure(text: string): Pressure {
  const out: Pressure = {};
  for (const line of text.split('\n')) {
    const m = /^(some|full)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const kv = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)=([\d.]+)/g)].map((x) => [x[1], Number(x[2])]),
    );
    if ([kv.avg10, kv.avg60, kv.avg300, kv.total].some((v) => v === undefined || Number.isNaN(v))) continue;
    out[m[1] as 'some' | 'full'] = {
      avg10: kv.avg10!,
      avg60: kv.avg60!,
      avg300: kv.avg300!,
      total: kv.total!,
    };
  }
  return out;
}
