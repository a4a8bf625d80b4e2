/**
 * The line pipeline of one input, as an object: detection on the head (the first DETECT_LINES lines are
 * held until the format is known), one parser per format with per-line fallback to the others,
 * journalctl's `-- … --` markers, indented continuation lines, and the hand-off at a split point where
 * a parallel reader already read the rest. `read` yields records in batches, one per chunk.
 */
import type { LogRecord } from '../record.ts';
import { DETECT_LINES, detectFormat, formatByName, LINE_FORMATS } from './formats/index.ts';
import type { LineParser, ParseContext } from './formats/types.ts';
import type { SplitPoint } from './index.ts';
import { type LineIssue, LineSplitter, MAX_LINE } from './lines.ts';

const MARKER = /^-- (.*) --$/;

export class LineReader {
  readonly #ctx: ParseContext;
  readonly #splitter = new LineSplitter();
  #out: LogRecord[] = [];
  #primary: LineParser | undefined;
  readonly #fallbacks = new Map<string, LineParser>();
  /** A boot marker waiting for the next timed record (it takes that record's time and host). */
  #pendingBoot: LogRecord | undefined;
  #last: LogRecord | undefined;
  /** Lines held until the head is long enough to detect the format; undefined once detected. */
  #held: Array<[string, number, LineIssue]> | undefined = [];
  #heldNonEmpty = 0;
  #journalMarker = false;
  readonly #sink = (text: string, line: number, issue: LineIssue): void => this.#take(text, line, issue);

  /** `format`: continue this line format without detecting it (a byte-range reader). */
  constructor(ctx: ParseContext, format?: string) {
    this.#ctx = ctx;
    const forced = format === undefined ? undefined : formatByName(format);
    if (forced) {
      this.#held = undefined;
      ctx.detected = format!;
      this.#primary = forced.create(ctx);
    }
  }

  /** Records in batches; returns true when it stopped at `split` because another reader has the rest. */
  async *read(
    chunks: AsyncIterable<Buffer>,
    split: SplitPoint | undefined,
  ): AsyncGenerator<LogRecord[], boolean> {
    let offset = 0;
    for await (const chunk of chunks) {
      if (split !== undefined && offset === split.at) {
        const clean =
          this.#held === undefined &&
          this.#pendingBoot === undefined &&
          this.#fallbacks.size === 0 &&
          !this.#splitter.holding;
        const handOff = {
          lines: this.#splitter.lines,
          format: this.#ctx.detected,
          clean,
          years: this.#ctx.years.state,
        };
        if (await split.handOff(handOff)) return true;
      }
      offset += chunk.length;
      this.#splitter.push(chunk, this.#sink);
      if (this.#out.length > 0) yield this.#flush();
    }
    this.#splitter.end(this.#sink);
    if (this.#held !== undefined) this.#detect();
    this.#primary?.end?.(this.#out);
    for (const p of this.#fallbacks.values()) p.end?.(this.#out);
    if (this.#pendingBoot) this.#out.push(this.#pendingBoot);
    if (this.#out.length > 0) yield this.#flush();
    return false;
  }

  #flush(): LogRecord[] {
    const batch = this.#out;
    this.#out = [];
    return batch;
  }

  #take(text: string, line: number, issue: LineIssue): void {
    if (this.#held === undefined) {
      this.#handle(text, line, issue);
      return;
    }
    this.#held.push([text, line, issue]);
    if (text.length > 0 && issue !== 'binary' && ++this.#heldNonEmpty >= DETECT_LINES) this.#detect();
  }

  #handle(text: string, line: number, issue: LineIssue): void {
    const ctx = this.#ctx;
    if (issue === 'binary') {
      ctx.problem({ file: ctx.file, line, reason: 'binary data (NUL or invalid UTF-8), not a log line' });
      return;
    }
    if (issue === 'truncated')
      ctx.problem({
        file: ctx.file,
        line,
        reason: `line longer than ${MAX_LINE} characters; parsed its start only`,
      });
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0)) return;
    if (text.charCodeAt(0) === 45 /* - */) {
      const m = MARKER.exec(text);
      if (m) {
        this.#marker(m[1]!, line);
        return;
      }
    }
    const out = this.#out;
    const before = out.length;
    if (!this.#parse(text, line)) {
      if (ctx.detected === 'plain') out.push(plainRecord(ctx, text, line));
      else if (this.#last !== undefined && (text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9))
        out.push(continuation(ctx, this.#last, text, line));
      else ctx.problem({ file: ctx.file, line, reason: `not a ${ctx.detected} line` });
    }
    if (out.length > before) {
      const boot = this.#pendingBoot;
      if (boot !== undefined && out[before]!.time !== null) {
        const next = out[before]!;
        boot.time = next.time;
        boot.timeQuality = next.timeQuality;
        boot.host = next.host;
        out.splice(before, 0, boot);
        this.#pendingBoot = undefined;
      }
      this.#last = out[out.length - 1];
    }
  }

  #parse(text: string, line: number): boolean {
    if (this.#primary?.parse(text, line, this.#out)) return true;
    const detected = this.#ctx.detected;
    for (const f of LINE_FORMATS) {
      if (f.name === detected || (detected === 'journal-short' && f.name === 'syslog-3164')) continue;
      if (f.test(text) && this.#fallback(f.name).parse(text, line, this.#out)) return true;
    }
    return false;
  }

  #fallback(name: string): LineParser {
    let p = this.#fallbacks.get(name);
    if (!p) {
      p = formatByName(name)!.create(this.#ctx);
      this.#fallbacks.set(name, p);
    }
    return p;
  }

  /** journalctl's "-- Boot <id> --" / "-- No entries --" lines; the header "-- Logs begin at … --" is skipped. */
  #marker(body: string, line: number): void {
    const ctx = this.#ctx;
    this.#journalMarker = true;
    const boot = /^Boot ([0-9a-f]{32})$/.exec(body);
    if (boot || body === 'Reboot') {
      if (this.#pendingBoot) this.#out.push(this.#pendingBoot);
      this.#pendingBoot = markerRecord(
        ctx,
        line,
        boot ? `-- Boot ${boot[1]} --` : '-- Reboot --',
        'boot',
        boot?.[1],
      );
    } else if (body === 'No entries') {
      this.#out.push(markerRecord(ctx, line, '-- No entries --', 'no-entries', undefined));
    } else if (!/^(Logs begin at|Journal begins at|Journal started at) /.test(body)) {
      ctx.problem({ file: ctx.file, line, reason: `unknown journalctl marker '${body}'` });
    }
  }

  #detect(): void {
    const ctx = this.#ctx;
    const rows = this.#held ?? [];
    this.#held = undefined;
    const candidates = rows.filter((r) => r[0].trim().length > 0 && r[2] !== 'binary' && !MARKER.test(r[0]));
    ctx.detected = detectFormat(
      candidates.map((r) => r[0]),
      this.#journalMarker || rows.some((r) => MARKER.test(r[0])),
    );
    if (ctx.detected === 'plain' && candidates.length > 0) {
      ctx.problem({
        file: ctx.file,
        line: candidates[0]![1],
        reason: 'no known log format in the first lines: kept as plain lines in file order, without times',
      });
    } else if (ctx.detected !== 'plain') this.#primary = formatByName(ctx.detected)!.create(ctx);
    for (const [t, n, issue] of rows) this.#handle(t, n, issue);
  }
}

function markerRecord(
  ctx: ParseContext,
  line: number,
  message: string,
  kind: string,
  bootId: string | undefined,
): LogRecord {
  const fields: Record<string, string> = { marker: kind };
  if (bootId !== undefined) fields._BOOT_ID = bootId;
  return {
    time: null,
    timeQuality: 'none',
    host: undefined,
    program: 'journal',
    pid: undefined,
    message,
    source: { file: ctx.file, line },
    format: 'journal-marker',
    fields,
  };
}

function plainRecord(ctx: ParseContext, text: string, line: number): LogRecord {
  return {
    time: null,
    timeQuality: 'none',
    host: undefined,
    program: undefined,
    pid: undefined,
    message: text,
    source: { file: ctx.file, line },
    format: 'plain',
  };
}

/** An indented line after a record: the rest of a multi-line message (journalctl indents them). */
function continuation(ctx: ParseContext, prev: LogRecord, text: string, line: number): LogRecord {
  return {
    time: prev.time,
    timeQuality: prev.timeQuality,
    host: prev.host,
    program: prev.program,
    pid: prev.pid,
    message: text.trim(),
    source: { file: ctx.file, line },
    format: prev.format,
    fields: { continuation: 'true' },
  };
}
