import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type LineIssue, LineSplitter, MAX_LINE } from '../../../src/timeline/sources/lines.ts';

function split(chunks: Buffer[]): Array<[string, number, LineIssue]> {
  const s = new LineSplitter();
  const out: Array<[string, number, LineIssue]> = [];
  const sink = (t: string, n: number, i: LineIssue) => out.push([t, n, i]);
  for (const c of chunks) s.push(c, sink);
  s.end(sink);
  return out;
}

describe('LineSplitter', () => {
  it('gives the same lines however the bytes are chunked (multi-byte UTF-8 and CRLF included)', () => {
    const line = fc.stringMatching(/^[a-zé€😀 :[\]0-9]{0,40}$/u);
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 10 }),
        (lines, crlf, cuts) => {
          const text = lines.map((l) => `${l}${crlf ? '\r\n' : '\n'}`).join('');
          const bytes = Buffer.from(text);
          const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort(
            (a, b) => a - b,
          );
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(prev, p));
            prev = p;
          }
          const got = split(chunks);
          assert.deepEqual(
            got,
            lines.map((l, i) => [l, i + 1, undefined]),
          );
        },
      ),
    );
  });

  it('numbers an overlong line once, even when it spans many chunks, and keeps counting after it', () => {
    const long = Buffer.alloc(MAX_LINE * 2 + 10, 'y');
    const chunks = [
      Buffer.from('a\nb'),
      long.subarray(0, MAX_LINE),
      long.subarray(MAX_LINE),
      Buffer.from('\nc\n'),
    ];
    const got = split(chunks);
    assert.deepEqual(
      got.map(([t, n, i]) => [t.length, n, i]),
      [
        [1, 1, undefined],
        [MAX_LINE, 2, 'truncated'],
        [1, 3, undefined],
      ],
    );
  });

  it('a last line without a newline is still a line', () => {
    assert.deepEqual(split([Buffer.from('x\ny')]), [
      ['x', 1, undefined],
      ['y', 2, undefined],
    ]);
  });
});
