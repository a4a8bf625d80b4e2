import type { LogRecord, UnparsedLine } from '../../record.ts';
import type { YearGuess, Zone } from '../clock.ts';

/** What a parser knows about the input it is reading; one per input file. */
export interface ParseContext {
  file: string;
  zone: Zone;
  /** Shared by every parser of this input so mixed yearless formats agree on the year. */
  years: YearGuess;
  /** Reference "now" (ms) for relative ages. */
  now: number;
  /** Wall-clock boot time (ms) when the caller knows it, for dmesg's monotonic stamps. */
  bootTime: number | undefined;
  /** The name the input's head was detected as ("journal-short" vs "syslog-3164" share a parser). */
  detected: string;
  problem(p: UnparsedLine): void;
}

/** One parser instance per input: it may keep state (tables, year, anchors, pending markers). */
export interface LineParser {
  /**
   * Parse one line (already without its newline). Push what it yields to `out` — possibly nothing
   * (a header), possibly held records too. Return false when the line is not in this format.
   */
  parse(text: string, line: number, out: LogRecord[]): boolean;
  /** End of input: push anything still held. */
  end?(out: LogRecord[]): void;
}

/** A line-oriented log format: a cheap recogniser for detection and a parser factory. */
export interface LineFormat {
  name: string;
  /** Does this one line look like this format? Used on the head of an input to pick its format. */
  test(text: string): boolean;
  create(ctx: ParseContext): LineParser;
}

/** Identity helper so each format module is type-checked against the contract. */
export function defineFormat(f: LineFormat): LineFormat {
  return f;
}

/** The parts of a record a parser decides; source and format are filled in by `record`. */
export type Draft = Omit<LogRecord, 'source' | 'format' | 'fields'> & {
  fields?: Record<string, string> | undefined;
};

/** Builds a record with one object shape for every format (keeps V8's inline caches monomorphic). */
export function record(ctx: ParseContext, line: number, format: string, d: Draft): LogRecord {
  const out: LogRecord = {
    time: d.time,
    timeQuality: d.timeQuality,
    host: d.host,
    program: d.program,
    pid: d.pid,
    message: d.message,
    source: { file: ctx.file, line },
    format,
  };
  if (d.fields !== undefined) out.fields = d.fields;
  return out;
}

/**
 * A format recognised by a header regex at the line start, one record per line, no state: `test` is
 * the regex, and `draft` turns its match into the record (undefined when the line is not this format
 * after all, e.g. month 13).
 */
export function headerFormat(
  name: string,
  head: RegExp,
  draft: (m: RegExpExecArray, text: string, ctx: ParseContext) => Draft | undefined,
): LineFormat {
  return defineFormat({
    name,
    test: (text) => head.test(text),
    create(ctx) {
      return {
        parse(text, line, out) {
          const m = head.exec(text);
          const d = m && draft(m, text, ctx);
          if (!d) return false;
          out.push(record(ctx, line, name, d));
          return true;
        },
      };
    },
  });
}

/** Time and its quality from an ISO stamp that may be absent (null) or carry no zone. */
export function isoTime(
  t: { time: number; zoned: boolean } | undefined,
): Pick<Draft, 'time' | 'timeQuality'> {
  return t
    ? { time: t.time, timeQuality: t.zoned ? 'exact' : 'inferred' }
    : { time: null, timeQuality: 'none' };
}
