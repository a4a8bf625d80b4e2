/**
 * Chunks of bytes → lines, with flat memory: at most one partial line is held, bounded in length.
 * Each line is decoded on its own from the bytes (not sliced out of a decoded chunk): a substring of a
 * big string keeps the whole string alive in V8, so one kept message would pin a megabyte per chunk.
 * CRLF and LF both work; a line with NUL or invalid UTF-8 is marked binary so it is counted, not parsed.
 */
import { isAscii } from 'node:buffer';

/** Longest line kept (bytes); the rest of a longer line is dropped and reported. */
export const MAX_LINE = 64 * 1024;

export type LineIssue = 'truncated' | 'binary' | undefined;
export type LineSink = (text: string, line: number, issue: LineIssue) => void;

export class LineSplitter {
  /** The partial line carried over from earlier chunks. */
  private rest: Buffer[] = [];
  private restLength = 0;
  /** Inside an overlong line that was already emitted: drop bytes until its newline. */
  private skipping = false;
  /** Lines started so far (the current line's number). */
  lines = 0;

  /** Is part of a line held (the last chunk did not end with a newline)? */
  get holding(): boolean {
    return this.restLength > 0 || this.skipping;
  }

  push(chunk: Buffer, sink: LineSink): void {
    const ascii = isAscii(chunk);
    const nul = chunk.indexOf(0) >= 0;
    let start = 0;
    if (this.restLength > 0 || this.skipping) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry(chunk, sink);
        return;
      }
      this.carry(chunk.subarray(0, nl), sink);
      if (this.skipping) this.skipping = false;
      else {
        const line = Buffer.concat(this.rest, this.restLength);
        this.emit(line, 0, line.length, isAscii(line), line.indexOf(0) >= 0, sink);
      }
      this.rest = [];
      this.restLength = 0;
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      this.emit(chunk, start, nl, ascii, nul, sink);
      start = nl + 1;
    }
    if (start < chunk.length) this.carry(chunk.subarray(start), sink);
  }

  end(sink: LineSink): void {
    if (this.restLength > 0 && !this.skipping) {
      const line = Buffer.concat(this.rest, this.restLength);
      this.emit(line, 0, line.length, isAscii(line), line.indexOf(0) >= 0, sink);
    }
    this.rest = [];
    this.restLength = 0;
    this.skipping = false;
  }

  /** Hold a piece of an unfinished line; past MAX_LINE, emit what we have as truncated and skip the rest. */
  private carry(piece: Buffer, sink: LineSink): void {
    if (this.skipping || piece.length === 0) return;
    this.rest.push(piece);
    this.restLength += piece.length;
    if (this.restLength > MAX_LINE) {
      const line = Buffer.concat(this.rest, this.restLength);
      this.emit(line, 0, line.length, isAscii(line), line.indexOf(0) >= 0, sink);
      this.rest = [];
      this.restLength = 0;
      this.skipping = true;
    }
  }

  private emit(buf: Buffer, start: number, end: number, ascii: boolean, nul: boolean, sink: LineSink): void {
    this.lines++;
    let e = end;
    if (e > start && buf[e - 1] === 13) e--;
    if (e - start > MAX_LINE) {
      let cut = start + MAX_LINE;
      while (cut > start && ((buf[cut] ?? 0) & 0xc0) === 0x80) cut--; // don't split a UTF-8 character
      sink(buf.toString(ascii ? 'latin1' : 'utf8', start, cut), this.lines, 'truncated');
      return;
    }
    if (ascii) {
      const text = buf.toString('latin1', start, e);
      sink(text, this.lines, nul && text.indexOf('\u0000') >= 0 ? 'binary' : undefined);
      return;
    }
    const text = buf.toString('utf8', start, e);
    sink(
      text,
      this.lines,
      text.indexOf('\uFFFD') >= 0 || (nul && text.indexOf('\u0000') >= 0) ? 'binary' : undefined,
    );
  }
}
