/**
 * Durable local writes, synchronous on purpose: the agent's state files are small and local, and a
 * synchronous call never waits behind libuv's thread pool, which hung-mount stats elsewhere can fill
 * (https://nodejs.org/api/fs.html#threadpool-usage). "Durable" = the bytes and the file's name survive
 * a crash or a watchdog reboot right after the call returns.
 */
import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** write(2) may write less than asked (ENOSPC half-way, signals): loop until all of it is written. */
export function writeAllSync(fd: number, text: string | Buffer): void {
  const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off);
}

/** Append to an open file and flush its data (not its metadata: fdatasync is enough for appends). */
export function appendDurableSync(fd: number, text: string): number {
  const b = Buffer.from(text, 'utf8');
  writeAllSync(fd, b);
  fdatasyncSync(fd);
  return b.length;
}

/** fsync a directory so a created or renamed file's name is durable too. */
export function syncDirSync(dir: string): void {
  const d = openSync(dir, 'r');
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
}

/** Replace a file atomically: write a sibling temp file, fsync it, rename over, fsync the directory. */
export function writeFileDurableSync(file: string, text: string, mode = 0o600): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeAllSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncDirSync(dirname(file));
}

/** Rename and make the new name durable (log rotation). */
export function renameDurableSync(from: string, to: string): void {
  renameSync(from, to);
  syncDirSync(dirname(to));
}

/** Cut a file to `length` bytes and flush, so a crash right after cannot bring the cut bytes back. */
export function truncateDurableSync(file: string, length: number): void {
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
