import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanDState, statBytes } from '../../src/host/tasks.ts';

// proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
// stime cutime cstime priority nice num_threads …
const line = (pid: number, comm: string, state: string, threads: number) =>
  `${pid} (${comm}) ${state} 1 ${pid} ${pid} 0 -1 4194560 1234 0 0 0 10 5 0 0 20 0 ${threads} 0 12345 1000000 200\n`;

describe('scanning tasks for D state', () => {
  it('reads state and num_threads from the bytes, comm with ") D (" and all', () => {
    const b = Buffer.from(line(4242, 'evil) D (x', 'S', 17), 'latin1');
    assert.deepEqual(statBytes(b, b.length), { state: 'S'.charCodeAt(0), threads: 17 });
    const d = Buffer.from(line(7, 'loki', 'D', 1), 'latin1');
    assert.deepEqual(statBytes(d, d.length), { state: 'D'.charCodeAt(0), threads: 1 });
    assert.equal(statBytes(Buffer.from('garbage'), 7), undefined);
  });

  it('takes a single-threaded process from its own stat and lists task/ only for threaded ones', async () => {
    const proc = mkdtempSync(join(tmpdir(), 'fl-agentcore-tasks-'));
    const put = (rel: string, text: string) => {
      mkdirSync(join(proc, rel, '..'), { recursive: true });
      writeFileSync(join(proc, rel), text);
    };
    put('10/stat', line(10, 'cat', 'D', 1)); // no task/ at all: not needed
    put('20/stat', line(20, 'java', 'S', 2));
    put('20/task/20/stat', line(20, 'java', 'S', 2));
    put('20/task/21/stat', line(21, 'java-io', 'D', 2));
    put('30/stat', line(30, 'bash', 'R', 1));
    const r = await scanDState({ proc, signal: AbortSignal.timeout(5000), maxTasks: 1000, maxFds: 8 });
    assert.deepEqual(
      r.tasks.map((t) => [t.pid, t.tid, t.comm]),
      [
        [10, 10, 'cat'],
        [20, 21, 'java-io'],
      ],
    );
    assert.equal(r.scannedTasks, 4);
  });
});
