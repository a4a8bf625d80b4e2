import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { JOURNAL_FILE, Outbox } from '../../../src/agent/delivery/outbox.ts';
import { alert, captureLog, pendingIds, removeTempDirs, reopenOutbox, tempStateDir } from './harness.ts';

after(removeTempDirs);

describe('outbox', () => {
  it('enqueue is idempotent by id, also while the first write is in flight', async () => {
    const dir = tempStateDir();
    const box = await Outbox.open(dir, { sinks: ['a'] });
    const [first, second] = await Promise.all([box.enqueue(alert(1), ['a']), box.enqueue(alert(1), ['a'])]);
    assert.deepEqual([first, second], [true, false]);
    assert.equal(await box.enqueue(alert(1), ['a']), false);
    await box.close();
    const lines = readFileSync(join(dir, JOURNAL_FILE), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
  });

  it('keeps pending and acked state across reopen, per sink', async () => {
    const dir = tempStateDir();
    const box = await Outbox.open(dir, { sinks: ['a', 'b'] });
    await box.enqueue(alert(1), ['a', 'b']);
    await box.enqueue(alert(2), ['a', 'b']);
    await box.ack('alert-1', 'a');
    await box.drop('alert-2', 'b', 'rejected');
    await box.close();
    await reopenOutbox(dir, { sinks: ['a', 'b'] }, (again) => {
      assert.deepEqual(pendingIds(again, 'a'), ['alert-2']);
      assert.deepEqual(pendingIds(again, 'b'), ['alert-1']);
      assert.equal(again.get('alert-2')?.done.get('b'), 'rejected');
      assert.equal(again.pendingCount(), 2);
    });
    // A sink removed from the config no longer holds alerts back.
    assert.equal(await reopenOutbox(dir, { sinks: ['a'] }, (onlyA) => onlyA.pendingCount()), 1);
  });

  it('cuts a torn last line and reports a corrupt middle line with file:line, keeping the rest', async () => {
    const dir = tempStateDir();
    const box = await Outbox.open(dir, { sinks: ['a'] });
    await box.enqueue(alert(1), ['a']);
    await box.enqueue(alert(2), ['a']);
    await box.close();
    const file = join(dir, JOURNAL_FILE);
    const [l1, l2] = readFileSync(file, 'utf8').trim().split('\n');
    writeFileSync(file, `${l1}\n{"t":"enq","alert":garbage\n${l2}\n{"t":"ack","id":"alert-1","si`);
    const { log, lines } = captureLog();
    const again = await Outbox.open(dir, { sinks: ['a'], log });
    assert.deepEqual(pendingIds(again, 'a'), ['alert-1', 'alert-2']);
    assert.ok(lines.some((l) => l.msg.includes(`${file}:2: unreadable record skipped`)));
    assert.ok(lines.some((l) => l.msg.includes('torn last record')));
    // The next append starts on a clean line.
    await again.ack('alert-1', 'a');
    await again.close();
    const last = readFileSync(file, 'utf8').split('\n').at(-2)!;
    assert.equal(JSON.parse(last).t, 'ack', 'the ack landed on its own line after the cut');
    assert.deepEqual(await reopenOutbox(dir, { sinks: ['a'] }, (third) => pendingIds(third, 'a')), [
      'alert-2',
    ]);
  });

  it('compaction keeps pending entries, drops delivered ones, and ignores a leftover temp file', async () => {
    const dir = tempStateDir();
    const box = await Outbox.open(dir, { sinks: ['a'], compactSlack: 1_000_000 });
    for (let i = 0; i < 50; i++) await box.enqueue(alert(i), ['a']);
    for (let i = 0; i < 45; i++) await box.ack(`alert-${i}`, 'a');
    const before = await box.size();
    await box.compact();
    const afterSize = await box.size();
    assert.ok(afterSize < before / 5, `${afterSize} < ${before}/5`);
    await box.enqueue(alert(99), ['a']);
    await box.close();
    writeFileSync(join(dir, `${JOURNAL_FILE}.tmp`), 'half a compaction');
    const again = await Outbox.open(dir, { sinks: ['a'] });
    assert.deepEqual(pendingIds(again, 'a'), [
      'alert-45',
      'alert-46',
      'alert-47',
      'alert-48',
      'alert-49',
      'alert-99',
    ]);
    assert.equal(again.get('alert-0'), undefined, 'delivered entries are compacted away');
    assert.equal(again.has('alert-0'), true, 'their ids are remembered');
    assert.equal(await again.enqueue(alert(0), ['a']), false, 'so re-enqueueing one is a no-op');
    assert.equal(again.pendingCount(), 6);
    await again.close();
  });

  it('replaces a writer thread that died: the next append starts a new one', async () => {
    const dir = tempStateDir();
    const box = await Outbox.open(dir, { sinks: ['a'] });
    await box.enqueue(alert(1), ['a']);
    const io = (box as unknown as { io: { killThread(): Promise<void> } }).io;
    await io.killThread();
    assert.equal(await box.enqueue(alert(2), ['a']), true);
    await box.ack('alert-1', 'a');
    await box.close();
    assert.deepEqual(await reopenOutbox(dir, { sinks: ['a'] }, (again) => pendingIds(again, 'a')), [
      'alert-2',
    ]);
  });

  it('compacts by itself once enough records are dead', async () => {
    const dir = tempStateDir();
    const box = await Outbox.open(dir, { sinks: ['a'], compactSlack: 20 });
    for (let i = 0; i < 30; i++) {
      await box.enqueue(alert(i), ['a']);
      await box.ack(`alert-${i}`, 'a');
    }
    const lines = readFileSync(join(dir, JOURNAL_FILE), 'utf8').trim().split('\n');
    // Compacted: delivered entries shrank to `done` tombstones (one short line each).
    assert.ok(lines.length < 45, `journal has ${lines.length} lines after 60 appends`);
    assert.ok(lines.some((l) => JSON.parse(l).t === 'done'));
    assert.equal(box.pendingCount(), 0);
    await box.close();
  });

  it('property: torn writes and reopen never lose an fsynced alert nor resurrect an acked one', async () => {
    const SINKS = ['a', 'b'];
    type Op =
      | { op: 'enqueue'; n: number }
      | { op: 'ack' | 'drop'; n: number; sink: number }
      | { op: 'compact' }
      | { op: 'reopen' }
      | { op: 'crash'; n: number; sink: number; ack: boolean; cut: number; garbage: string }
      | { op: 'crashCompaction'; junk: string };
    const n = fc.integer({ min: 0, max: 7 });
    const sink = fc.integer({ min: 0, max: 1 });
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: fc.constant('enqueue' as const), n }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('ack' as const), n, sink }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), n, sink }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('compact' as const) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('reopen' as const) }) },
      {
        weight: 2,
        arbitrary: fc.record({
          op: fc.constant('crash' as const),
          n,
          sink,
          ack: fc.boolean(),
          cut: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
          garbage: fc.string({ maxLength: 8 }).filter((s) => !s.includes('\n')),
        }),
      },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('crashCompaction' as const), junk: fc.string() }) },
    );

    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        const dir = tempStateDir();
        const file = join(dir, JOURNAL_FILE);
        // Model: what callers were told is durable.
        const enqueued = new Set<number>();
        const finished = new Set<string>(); // `${n}/${sink}`
        const opts = { sinks: SINKS, compactSlack: 6, retainIdsMs: Number.POSITIVE_INFINITY };
        let box = await Outbox.open(dir, opts);
        const check = () => {
          for (const i of enqueued) {
            for (const s of SINKS) {
              const pending = box.pendingFor(s).some((e) => e.alert.id === `alert-${i}`);
              assert.equal(pending, !finished.has(`${i}/${s}`), `alert-${i} for ${s}`);
            }
          }
        };
        try {
          for (const o of ops) {
            if (o.op === 'enqueue') {
              await box.enqueue(alert(o.n), SINKS);
              enqueued.add(o.n);
            } else if (o.op === 'ack' || o.op === 'drop') {
              if (!enqueued.has(o.n)) continue;
              const s = SINKS[o.sink]!;
              if (o.op === 'ack') await box.ack(`alert-${o.n}`, s);
              else await box.drop(`alert-${o.n}`, s, 'rejected');
              finished.add(`${o.n}/${s}`);
            } else if (o.op === 'compact') {
              await box.compact();
            } else if (o.op === 'reopen') {
              await box.close();
              box = await Outbox.open(dir, opts);
              check();
            } else if (o.op === 'crash') {
              // The process dies while writing a record nobody was told about: any strict prefix of
              // its line (never its newline) plus whatever bytes the disk kept after it.
              await box.close();
              const rec = o.ack
                ? { t: 'ack', id: `alert-${o.n}`, sink: SINKS[o.sink], at: 1 }
                : { t: 'enq', alert: alert(100 + o.n), sinks: SINKS, at: 1 };
              const line = JSON.stringify(rec);
              appendFileSync(file, line.slice(0, Math.floor(o.cut * line.length)) + o.garbage);
              box = await Outbox.open(dir, opts);
              check();
            } else if (o.op === 'crashCompaction') {
              await box.close();
              writeFileSync(`${file}.tmp`, o.junk);
              box = await Outbox.open(dir, opts);
              check();
            }
          }
          check();
        } finally {
          await box.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
