import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/timeline/analyze.ts';
import { renderMarkdown } from '../../../src/timeline/reporters/markdown.ts';
import { Records } from '../correlate/records.ts';

describe('markdown reporter', () => {
  it('keeps table rows intact and fences evidence whatever the log line contains', async () => {
    const r = new Records();
    const nasty = 'nfs: server a|b`c``d\u001b[0m not responding, still trying';
    const md = renderMarkdown(await analyze([r.at('k.log', 0, nasty)], ['k.log']));
    const row = md.split('\n').find((l) => l.startsWith('| 2025-11-14 02:50:00'));
    assert.ok(row, md);
    // Five cells: the pipe inside the server name is escaped.
    assert.equal(row.split(/(?<!\\)\|/).length - 2, 5, row);
    assert.ok(row.includes('a\\|b'));
    assert.ok(!md.includes('\u001b'), 'control bytes must not reach the terminal');
    assert.ok(md.includes('\u241b[0m'));
    // The evidence fence is longer than the longest backtick run in the line.
    assert.ok(md.includes('```log\nnfs: server a|b`c``d\u241b[0m not responding, still trying\n```'));
  });

  it('says plainly when nothing matched, and lists unparsed lines', async () => {
    const { TimelineBuilder } = await import('../../../src/timeline/analyze.ts');
    const b = new TimelineBuilder();
    b.addProblem({ file: 'x.log', line: 7, reason: 'no known log format' });
    const md = renderMarkdown(b.finish(['x.log']));
    assert.match(md, /No known failure signature matched these logs\./);
    assert.match(md, /0 records read from 1 input\(s\); 0 events; 1 unparsed lines\./);
    assert.match(md, /- `x\.log:7` no known log format/);
    assert.match(md, /No incident touched more than one layer/);
  });
});
