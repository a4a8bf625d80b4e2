/**
 * Turning the many ways logs write time into epoch milliseconds: zones, missing years, ages.
 * Everything here is pure and cheap; parsers call it once per line.
 */
import { FaultlineError } from '../../core/errors.ts';

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** 0-based month for "Nov", or undefined. */
export function monthIndex(name: string): number | undefined {
  return MONTHS[name];
}

const DAY_MS = 86_400_000;

/** A zone for lines that carry none: fixed offset (UTC, ±HH:MM) or an IANA name resolved through Intl. */
export interface Zone {
  readonly name: string;
  /** Epoch ms for a wall-clock time read in this zone. */
  toEpoch(wallAsUtcMs: number): number;
}

const OFFSET_RE = /^([+-])(\d{2}):?(\d{2})$/;

export function parseZone(spec: string | undefined): Zone {
  const name = spec ?? 'UTC';
  if (name === 'UTC' || name === 'Z' || name === 'GMT') return { name, toEpoch: (w) => w };
  const m = OFFSET_RE.exec(name);
  if (m) {
    const off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
    return { name, toEpoch: (w) => w - off };
  }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new FaultlineError('usage', `unknown time zone '${name}' (use UTC, an IANA name, or ±HH:MM)`);
  }
  // Offsets change at most a few times a year; cache per hour of the instant asked about.
  const cache = new Map<number, number>();
  const offsetAt = (epoch: number): number => {
    const hour = Math.floor(epoch / 3_600_000);
    const hit = cache.get(hour);
    if (hit !== undefined) return hit;
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(new Date(hour * 3_600_000))) p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    const off = wall - hour * 3_600_000;
    if (cache.size > 10_000) cache.clear();
    cache.set(hour, off);
    return off;
  };
  return {
    name,
    toEpoch: (w) => {
      const first = w - offsetAt(w);
      const second = w - offsetAt(first);
      return second;
    },
  };
}

/** Milliseconds from a fraction-of-second digit string ("123456789" → 123). */
export function fractionMs(digits: string | undefined): number {
  if (!digits) return 0;
  if (digits.length >= 3) return Number(digits.slice(0, 3));
  return Number(digits.padEnd(3, '0'));
}

/** "+0000", "+00:00", "Z", "-05:30" → offset ms east of UTC, or undefined for anything else. */
export function offsetMs(spec: string): number | undefined {
  if (spec === 'Z' || spec === 'z') return 0;
  const m = OFFSET_RE.exec(spec);
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Date.UTC for a civil time read from a log, or NaN when it is not one: month 13, day 45, hour 99 and
 * year 0001 (which Date.UTC maps to 1901) are rejected instead of rolled over into another date.
 * `month` is 1-based. Years outside 1970–9999 are not log times.
 */
export function civilUtc(
  y: number,
  month: number,
  day: number,
  h: number,
  mi: number,
  s: number,
  ms = 0,
): number {
  if (y < 1970 || y > 9999 || month < 1 || month > 12 || day < 1 || h > 23 || mi > 59 || s > 60)
    return Number.NaN;
  const leap = month === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return Number.NaN;
  // A leap second (:60) is the last instant of its minute.
  return Date.UTC(y, month - 1, day, h, mi, Math.min(s, 59), s === 60 ? 999 : ms);
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * RFC 3339 / ISO 8601 timestamp as logs write it (any fraction length, zone optional).
 * Returns epoch ms and whether the zone came from the text; undefined when it is not one.
 */
export function parseIso(text: string, zone: Zone): { time: number; zoned: boolean } | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const wall = civilUtc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionMs(m[7]));
  if (Number.isNaN(wall)) return undefined;
  if (m[8] === undefined) return { time: zone.toEpoch(wall), zoned: false };
  return { time: wall - offsetMs(m[8])!, zoned: true };
}

/**
 * Picks the year for timestamps that have none (RFC 3164, klog, journalctl short).
 * The first line takes the year that keeps it from lying in the future of `ref` (file mtime or now);
 * later lines keep that year and step to the next one when the clock wraps (Dec → Jan).
 */
export class YearGuess {
  private year: number | undefined;
  private last = Number.NEGATIVE_INFINITY;
  /** The year the first resolved line took (a parallel range reader reports it; see timeline/parallel). */
  firstYear: number | undefined;

  constructor(
    private readonly ref: number,
    private readonly zone: Zone,
    fixedYear?: number,
  ) {
    this.year = fixedYear;
  }

  /** Epoch ms for a yearless wall time. */
  resolve(month: number, day: number, h: number, mi: number, s: number, ms: number): number {
    if (this.year === undefined) {
      const refYear = new Date(this.ref).getUTCFullYear();
      const t = this.at(refYear, month, day, h, mi, s, ms);
      // A day of slack for zone mistakes; anything later than that is last year's.
      this.year = t > this.ref + DAY_MS ? refYear - 1 : refYear;
    }
    this.firstYear ??= this.year;
    let t = this.at(this.year, month, day, h, mi, s, ms);
    if (t < this.last - 180 * DAY_MS) {
      this.year++;
      t = this.at(this.year, month, day, h, mi, s, ms);
    }
    this.last = t;
    return t;
  }

  /** The year lines get now and the last time resolved (what a reader continuing from here would use). */
  get state(): { year: number | undefined; last: number } {
    return { year: this.year, last: this.last };
  }

  private at(y: number, month: number, day: number, h: number, mi: number, s: number, ms: number): number {
    const wall = civilUtc(y, month + 1, day, h, mi, s, ms);
    return Number.isNaN(wall) ? wall : this.zone.toEpoch(wall);
  }
}

const AGE_PART = /(\d+)([ydhms])/g;
const AGE_UNIT: Record<string, number> = { y: 365 * DAY_MS, d: DAY_MS, h: 3_600_000, m: 60_000, s: 1000 };

/** kubectl's human durations ("2m24s", "3h", "5d12h", "2y45d") → ms; undefined for "<unknown>" etc. */
export function parseAge(text: string): number | undefined {
  const t = text.trim();
  if (!/^(?:\d+[ydhms])+$/.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(AGE_PART)) ms += Number(m[1]) * AGE_UNIT[m[2]!]!;
  return ms;
}
