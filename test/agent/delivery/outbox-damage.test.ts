/**
 * A damaged outbox (issue 10 §3, found by fault injection): a directory in its place used to exit 70,
 * a file over 512 MB crashed the start (every readable pending alert lost), 275k entries took 2 GB of
 * RSS (maxEntries not applied on load), and garbage was skipped with one log line per line. Now the
 * load streams: what is readable is kept, the rest is counted and reported, memory stays bounded.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Outbox } from '../../../src/agent/delivery/outbox.ts';
import { alert, captureLog, removeTempDirs, reopenOutbox, tempStateDir } from './harness.ts';

after(removeTempDirs);

const ROOT = join(import.meta.dirname, '../../..');
const enq = (n: number, at = 1_700_000_000_000 + n) =>
  `${JSON.stringify({ t: 'enq', alert: alert(n, { createdAt: new Date(at).toISOString() }), sinks: ['a'], at })}\n`;

function loadInChild(dir: string, maxEntries: number) {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test/agent/delivery/outbox-load-child.ts'), dir, String(maxEntries)],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out) as {
    pending: number;
    ids: string[];
    report: { unreadable: number; tooLong: number; overLimit: number };
    logLines: number;
    logs: string[];
    peakRssMb: number;
  };
}

describe('damaged outbox', () => {
  it('a directory in the journal’s place is moved aside and counted; alerts persist again', async () => {
    const dir = tempStateDir();
    mkdirSync(join(dir, 'outbox.jsonl', 'sub'), { recursive: true });
    const { log, lines } = captureLog();
    const box = await Outbox.open(dir, { sinks: ['a'], log });
    assert.ok(box.loadReport.movedAside?.startsWith(join(dir, 'outbox.jsonl.damaged-')));
    assert.ok(statSync(box.loadReport.movedAside!).isDirectory(), 'kept for inspection');
    assert.ok(lines.some((l) => l.level === 'error' && /not a file; moved aside/.test(l.msg)));
    await box.enqueue(alert(1), ['a']);
    assert.equal(box.persistProblem, undefined);
    await box.close();
    assert.equal(await reopenOutbox(dir, { sinks: ['a'] }, (again) => again.pendingCount()), 1);
  });

  it('garbage is counted and summarised; every readable record is kept', async () => {
    const dir = tempStateDir();
    const fd = openSync(join(dir, 'outbox.jsonl'), 'w');
    writeSync(fd, enq(1));
    for (let i = 0; i < 5000; i++) writeSync(fd, i % 2 ? '\u0000\u0000garbage\n' : '{"t":"enq","half":\n');
    writeSync(fd, enq(2));
    writeSync(fd, `${'x'.repeat(2 << 20)}\n`); // longer than any record: skipped while streaming
    writeSync(fd, enq(3));
    closeSync(fd);
    const { log, lines } = captureLog();
    const box = await Outbox.open(dir, { sinks: ['a'], log });
    assert.deepEqual(
      box.pending().map((e) => e.alert.id),
      ['alert-1', 'alert-2', 'alert-3'],
    );
    assert.equal(box.loadReport.unreadable, 5000);
    assert.equal(box.loadReport.tooLong, 1);
    // Three lines with file:line, then one summary: not one log line per damaged record.
    assert.ok(lines.length <= 5, `${lines.length} log lines`);
    assert.match(lines[0]!.msg, /outbox\.jsonl:2: unreadable record skipped/);
    const summary = lines.find((l) => /damaged journal/.test(l.msg));
    assert.equal(summary?.fields?.unreadable, 5000);
    await box.close();
  });

  it('275k entries: maxEntries applies while loading, the newest are kept, memory stays bounded', () => {
    const dir = tempStateDir();
    const fd = openSync(join(dir, 'outbox.jsonl'), 'w');
    let buf = '';
    for (let i = 0; i < 275_000; i++) {
      buf += enq(i);
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
    closeSync(fd);
    const size = statSync(join(dir, 'outbox.jsonl')).size;
    assert.ok(size > 128 << 20, `journal is ${size} bytes`);
    const r = loadInChild(dir, 1000);
    assert.equal(r.pending, 1000);
    assert.deepEqual(r.ids, ['alert-274000', 'alert-274999']);
    assert.equal(r.report.overLimit, 274_000);
    // Before: ~2 GB RSS for this file. The bound is generous (tsx and V8 included); the point is O(maxEntries).
    assert.ok(r.peakRssMb < 400, `peak RSS ${r.peakRssMb} MB`);
  });

  it('a journal over 512 MB (beyond a V8 string) loads: the readable records around the damage are kept', () => {
    const dir = tempStateDir();
    const file = join(dir, 'outbox.jsonl');
    const fd = openSync(file, 'w');
    writeSync(fd, enq(1));
    closeSync(fd);
    // A sparse hole of NUL bytes (no disk used) makes the file 520 MB, then one more record.
    execFileSync('truncate', ['-s', String(520 << 20), file]);
    const fd2 = openSync(file, 'a');
    writeSync(fd2, `\n${enq(2)}`);
    closeSync(fd2);
    assert.ok(statSync(file).size > 512 << 20);
    const r = loadInChild(dir, 10_000);
    assert.equal(r.pending, 2);
    assert.deepEqual(r.ids, ['alert-1', 'alert-2']);
    assert.equal(r.report.tooLong, 1);
    assert.ok(r.peakRssMb < 400, `peak RSS ${r.peakRssMb} MB`);
    assert.ok(readdirSync(dir).includes('outbox.jsonl'));
  });
});
