/**
 * A small tmpfs the test mounts (the tests run as root) and removes: a real "disk full" (ENOSPC) and
 * a real read-only filesystem (EROFS), instead of mocked fs calls. Missing `mount` fails the test
 * naming the Debian package.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  dir: string;
  /** Write until the filesystem is full (ENOSPC). */
  fill(): void;
  /** Remove the filler: space returns. */
  free(): void;
  remount(mode: 'ro' | 'rw'): void;
  unmount(): void;
}

function run(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`${cmd} not found: install the Debian package 'mount'`);
    throw new Error(
      `${cmd} ${args.join(' ')}: ${e.stderr?.toString().trim() || e.message} (tests need root)`,
    );
  }
}

export function mountTmpfs(sizeKb = 512): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'fl-agentprod-tmpfs-'));
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'fl-agentprod', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const chunk = Buffer.alloc(64 * 1024, 1);
      for (let i = 0; ; i++) {
        try {
          writeFileSync(filler, chunk, { flag: 'a' });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return;
          throw err;
        }
        if (i > 100_000) throw new Error('tmpfs never filled up');
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    remount(mode) {
      run('mount', ['-o', `remount,${mode}`, dir]);
    },
    unmount() {
      try {
        run('umount', ['-l', dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
