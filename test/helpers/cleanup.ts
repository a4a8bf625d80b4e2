/** Teardown shared by test files that start servers and write temporary directories. */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

export type Cleanup = () => void | Promise<void>;

/**
 * A list the file pushes its cleanups onto; they run last-in first-out after all its tests. Call at top
 * level. One that throws does not keep the rest from running (a server left up would hold its port for
 * the next file); the first error is rethrown once all have run.
 */
export function cleanupsAfterFile(): Cleanup[] {
  const cleanups: Cleanup[] = [];
  after(async () => {
    const errors: unknown[] = [];
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  });
  return cleanups;
}

/** A fresh directory under the system tmpdir, removed with the file's cleanups. */
export function tempDir(cleanups: Cleanup[], prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Closes a test server, dropping kept-alive connections so close() does not wait on them. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
}

/**
 * A temporary directory for the enclosing describe: made before its tests, removed after them.
 * The returned function gives a path inside it (`name`), or the directory itself.
 */
export function suiteTempDir(prefix: string): (name?: string) => string {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return (name) => (name === undefined ? dir : join(dir, name));
}
