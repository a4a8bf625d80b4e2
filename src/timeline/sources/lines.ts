/**
 * Chunks of bytes → lines, with flat memory: one pending partial line at most, bounded in length.
 * CRLF and CR-less both work; invalid UTF-8 or NUL marks a line as binary so it is counted, not parsed.
 */
import { StringDecoder } from 'node:string_decoder';

/** Longest line kept (characters); the rest of a longer line is dropped and reported. */
export const MAX_LINE = 64 * 1024;

export type LineIssue = 'truncated' | 'binary' | undefined;
export type LineSink = (text: string, line: number, issue: LineIssue) => void;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  /** Inside an overlong line: drop text until its newline. */
  private skipping = false;
  /** Lines completed so far (the next line's number is this + 1). */
  lines = 0;

  push(chunk: Buffer, sink: LineSink): void {
    this.feed(this.decoder.write(chunk), sink);
  }

  end(sink: LineSink): void {
    this.feed(this.decoder.end(), sink);
    if (this.rest.length > 0 && !this.skipping) this.emit(this.rest, sink, undefined);
    else if (this.skipping) this.lines++;
    this.rest = '';
    this.skipping = false;
  }

  private feed(text: string, sink: LineSink): void {
    if (text.length === 0) return;
    const s = this.rest.length > 0 ? this.rest + text : text;
    this.rest = '';
    // Checking the whole chunk once keeps the per-line cost at zero for clean text.
    const dirty = s.indexOf('\u0000') >= 0 || s.indexOf('\uFFFD') >= 0;
    let start = 0;
    for (;;) {
      const nl = s.indexOf('\n', start);
      if (nl < 0) break;
      if (this.skipping) {
        this.skipping = false;
        this.lines++;
      } else {
        const end = nl > start && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end - start > MAX_LINE) {
          this.emit(s.slice(start, start + MAX_LINE), sink, 'truncated');
        } else {
          const line = s.slice(start, end);
          this.emit(line, sink, dirty && isBinary(line) ? 'binary' : undefined);
        }
      }
      start = nl + 1;
    }
    if (start < s.length) {
      if (this.skipping) return;
      const tail = s.slice(start);
      if (tail.length > MAX_LINE) {
        this.emit(tail.slice(0, MAX_LINE), sink, 'truncated');
        this.lines--; // the line is not finished: its number is taken when its newline arrives
        this.skipping = true;
      } else this.rest = tail;
    }
  }

  private emit(text: string, sink: LineSink, issue: LineIssue): void {
    this.lines++;
    sink(text, this.lines, issue);
  }
}

function isBinary(line: string): boolean {
  return line.indexOf('\u0000') >= 0 || line.indexOf('\uFFFD') >= 0;
}
