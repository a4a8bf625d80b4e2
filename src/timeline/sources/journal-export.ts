/**
 * The journal export format (`journalctl -o export`, systemd's "Journal Export Format" spec):
 * entries are runs of `KEY=value\n` lines ended by an empty line; a field whose value is binary or
 * has newlines is `KEY\n` followed by its length as a 64-bit little-endian integer, the raw bytes,
 * and `\n`. Parsed from bytes, not lines, because a binary value may contain anything.
 */
import type { LogRecord } from '../record.ts';
import { BootTracker, journalRecord } from './formats/journal-fields.ts';
import type { ParseContext } from './formats/types.ts';

/** A binary field larger than this is skipped and reported (the journal's own default cap is 64 MiB). */
const MAX_FIELD = 64 * 1024 * 1024;

/** An entry boundary followed by a journal field: the start of the next entry. */
const SWALLOWED_ENTRY = /\n\n(?:__CURSOR|__REALTIME_TIMESTAMP|__MONOTONIC_TIMESTAMP|_BOOT_ID)=/;

export class JournalExportParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** 1-based line of the next byte to consume. */
  private line = 1;
  private entry: Record<string, string> = {};
  private entryLine = 0;
  private fieldsInEntry = 0;
  private readonly boots = new BootTracker();

  constructor(
    private readonly ctx: ParseContext,
    private readonly format: string,
    /** Number records by entry (1, 2, …) instead of line — for binary .journal files, which have no lines. */
    private readonly byEntry = false,
  ) {}
  private entries = 0;

  push(chunk: Buffer, out: LogRecord[]): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    this.drain(out);
  }

  end(out: LogRecord[]): void {
    if (this.pos < this.buf.length) {
      // A last field without its newline: accept it as if the newline were there.
      this.buf = Buffer.concat([this.buf.subarray(this.pos), Buffer.from('\n')]);
      this.pos = 0;
      this.drain(out);
    }
    if (this.pos < this.buf.length) {
      // Still unread: a binary field whose length runs past the end (a truncated export).
      const b = this.buf;
      const nl = b.indexOf(10, this.pos);
      const name = b.toString('latin1', this.pos, nl < 0 ? b.length : nl);
      const claimed = nl >= 0 && b.length >= nl + 9 ? `${b.readBigUInt64LE(nl + 1)} bytes` : 'a length';
      this.ctx.problem({
        file: this.ctx.file,
        line: this.line,
        reason: `journal export ends inside binary field ${name} (it claims ${claimed}, ${Math.max(0, b.length - nl - 10)} are there): truncated here; the fields before it are kept`,
      });
      this.buf = Buffer.alloc(0);
      this.pos = 0;
    }
    this.finishEntry(out);
  }

  private drain(out: LogRecord[]): void {
    const b = this.buf;
    for (;;) {
      const nl = b.indexOf(10, this.pos);
      if (nl < 0) return;
      if (nl === this.pos) {
        this.pos++;
        this.line++;
        this.finishEntry(out);
        continue;
      }
      const eq = b.indexOf(61 /* = */, this.pos);
      if (eq >= 0 && eq < nl) {
        this.field(b.toString('latin1', this.pos, eq), b.toString('utf8', eq + 1, nl));
        this.pos = nl + 1;
        this.line++;
        continue;
      }
      // Binary field: name, newline, u64 LE length, data, newline.
      if (b.length < nl + 9) return;
      const size = b.readBigUInt64LE(nl + 1);
      if (size > BigInt(MAX_FIELD)) {
        this.ctx.problem({
          file: this.ctx.file,
          line: this.line,
          reason: `journal export: binary field of ${size} bytes is too large; rest of input skipped`,
        });
        this.buf = Buffer.alloc(0);
        this.pos = 0;
        return;
      }
      const n = Number(size);
      const dataStart = nl + 9;
      if (b.length < dataStart + n + 1) return;
      const name = b.toString('latin1', this.pos, nl);
      const data = b.toString('utf8', dataStart, dataStart + n);
      // A length that is wrong swallows what follows: the next entry shows up inside the data, or the
      // data is not followed by its newline. Drop this entry and resume at the next one.
      const swallowed = SWALLOWED_ENTRY.exec(data);
      if (b[dataStart + n] !== 10 || swallowed) {
        const resume = swallowed ? dataStart + swallowed.index + 2 : b.indexOf('\n\n', dataStart);
        if (resume < 0) return; // wait for more input (or end() reports the truncation)
        this.ctx.problem({
          file: this.ctx.file,
          line: this.line,
          reason: `journal export: binary field ${name} has a bad length (${n} bytes); this entry is dropped and reading resumes at the next one`,
        });
        this.line += 1 + countNewlines(b, nl + 1, resume);
        this.pos = resume;
        this.entry = {};
        this.fieldsInEntry = 0;
        continue;
      }
      this.field(name, data);
      this.line += 1 + countNewlines(b, nl + 1, dataStart + n) + 1;
      this.pos = dataStart + n + 1;
    }
  }

  private field(name: string, value: string): void {
    if (this.fieldsInEntry === 0) this.entryLine = this.line;
    this.fieldsInEntry++;
    // A field repeated in one entry keeps its first value, as `-o json` shows it first.
    if (!(name in this.entry)) this.entry[name] = value;
  }

  private finishEntry(out: LogRecord[]): void {
    if (this.fieldsInEntry === 0) return;
    this.entries++;
    const line = this.byEntry ? this.entries : this.entryLine;
    const r = journalRecord(this.ctx, line, this.format, this.entry);
    if (typeof r === 'string') this.ctx.problem({ file: this.ctx.file, line, reason: r });
    else {
      const marker = this.boots.check(this.ctx, line, this.format, r);
      if (marker) out.push(marker);
      out.push(r);
    }
    this.entry = {};
    this.fieldsInEntry = 0;
  }
}

function countNewlines(b: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = b.indexOf(10, from); i >= 0 && i < to; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** Does this head look like export format (KEY=value lines with the journal's timestamp)? */
export function looksLikeExport(head: string): boolean {
  const first = head.replace(/^\n+/, '').split('\n', 1)[0] ?? '';
  return /^[A-Z0-9_]+=/.test(first) && /(^|\n)__REALTIME_TIMESTAMP=\d+/.test(head);
}
