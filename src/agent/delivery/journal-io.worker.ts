/**
 * The outbox writer thread, started by journal-io.ts (which says why the writes need a thread of their
 * own). Each message is one synchronous durable write through src/host/durable.ts, answered in order.
 */
import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { appendDurableSync, writeFileDurableSync } from '../../host/durable.ts';

export type JournalOp =
  | { op: 'open'; file: string }
  | { op: 'append'; text: string }
  | { op: 'rewrite'; file: string; text: string }
  | { op: 'close' };

export interface JournalReply {
  id: number;
  ok: boolean;
  error?: string;
}

let fd: number | undefined;
let file = '';

function apply(m: JournalOp): void {
  switch (m.op) {
    case 'open':
      file = m.file;
      fd = openSync(m.file, 'a');
      break;
    case 'append':
      // The open failed (read-only or missing directory): try again, the disk may be back.
      fd ??= openSync(file, 'a');
      appendDurableSync(fd, m.text);
      break;
    case 'rewrite':
      // 0o666 (less the umask), as the journal's own open above creates it.
      writeFileDurableSync(m.file, m.text, 0o666);
      closeJournal();
      fd = openSync(m.file, 'a');
      break;
    case 'close':
      closeJournal();
      break;
  }
}

function closeJournal(): void {
  if (fd !== undefined) closeSync(fd);
  fd = undefined;
}

const port = parentPort;
if (port === null) throw new Error('journal-io.worker.ts runs only as a worker thread (journal-io.ts)');
port.on('message', (m: JournalOp & { id: number }) => {
  let reply: JournalReply;
  try {
    apply(m);
    reply = { id: m.id, ok: true };
  } catch (e) {
    reply = { id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
