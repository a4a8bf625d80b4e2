import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  appendDurableSync,
  renameDurableSync,
  truncateDurableSync,
  writeFileDurableSync,
} from '../../src/host/durable.ts';

describe('durable local writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fl-agentcore-durable-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a file whole, leaves no temp file, keeps the mode asked for', () => {
    const f = join(dir, 'state.json');
    writeFileDurableSync(f, 'one\n');
    writeFileDurableSync(f, 'two\n');
    assert.equal(readFileSync(f, 'utf8'), 'two\n');
    assert.equal(existsSync(`${f}.tmp`), false);
    assert.equal(statSync(f).mode & 0o777, 0o600);
  });

  it('appends every byte of a large record and reports its size', () => {
    const f = join(dir, 'journal.jsonl');
    const fd = openSync(f, 'a');
    const big = `${'x'.repeat(3 * 1024 * 1024)}é\n`;
    try {
      assert.equal(appendDurableSync(fd, big), Buffer.byteLength(big));
      appendDurableSync(fd, 'tail\n');
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(f, 'utf8'), `${big}tail\n`);
    renameDurableSync(f, join(dir, 'journal.1.jsonl'));
    assert.equal(existsSync(f), false);
  });

  it('cuts a file to a length', () => {
    const f = join(dir, 'torn.jsonl');
    writeFileDurableSync(f, '{"a":1}\n{"b":');
    truncateDurableSync(f, 8);
    assert.equal(readFileSync(f, 'utf8'), '{"a":1}\n');
  });

  it('fails loudly when the directory is gone', () => {
    assert.throws(() => writeFileDurableSync(join(dir, 'missing', 'x'), 'x'), /ENOENT/);
  });
});
