/**
 * Checks the configured stateDir before anything writes to it, and tells two kinds of trouble apart:
 *   - it can never work as configured (inside /proc or /sys, or a file where a directory must be):
 *     a configuration error, exit 2 with one line. (Node's recursive mkdir under /proc loops for
 *     ever at 100% CPU: it is never called there.)
 *   - it does not work now (read-only, full, no permission): the agent starts degraded — alerts
 *     are held in memory and sent, the condition shows in /metrics and /readyz — and recovers when
 *     the disk does.
 */
import { mkdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FaultlineError } from '../../core/errors.ts';
import type { SourceLocation } from '../../core/location.ts';
import { describeFsError } from '../local-disk.ts';

/** Filesystems that hold no files of their own (statfs f_type, from linux/magic.h). */
const PSEUDO_FS: Record<number, string> = {
  40864: 'procfs',
  1650812274: 'sysfs',
  2613483: 'cgroup',
  1667723888: 'cgroup2',
  7377: 'devpts',
  1684170528: 'debugfs',
  1953653091: 'tracefs',
  1935894131: 'securityfs',
  3405662737: 'bpf',
};

export interface StateDirCheck {
  dir: string;
  /** Why it cannot be written now; undefined when a test write worked. */
  problem: string | undefined;
}

/** Throws a config FaultlineError for a stateDir that can never work; otherwise reports writability. */
export function checkStateDir(dir: string, where: SourceLocation): StateDirCheck {
  const abs = resolve(dir);
  // The deepest part of the path that exists: its filesystem is where the directory would live.
  let existing = abs;
  const missing: string[] = [];
  for (;;) {
    try {
      const st = statSync(existing);
      if (!st.isDirectory()) {
        throw new FaultlineError('config', `stateDir ${abs}: ${existing} is not a directory`, where);
      }
      break;
    } catch (err) {
      if (err instanceof FaultlineError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        throw new FaultlineError(
          'config',
          `stateDir ${abs}: a part of the path is a file, not a directory`,
          where,
        );
      }
      if (code !== 'ENOENT') return { dir: abs, problem: `${existing}: ${describeFsError(err)}` };
      missing.unshift(existing);
      existing = dirname(existing);
    }
  }
  let fsType: string | undefined;
  try {
    fsType = PSEUDO_FS[statfsSync(existing).type];
  } catch {
    fsType = undefined;
  }
  if (fsType !== undefined) {
    throw new FaultlineError(
      'config',
      `stateDir ${abs} is on ${fsType}, which holds no files: use a directory on local disk (e.g. /var/lib/faultline)`,
      where,
    );
  }
  // Create what is missing one level at a time, so the error names the real cause (EROFS, EACCES)
  // and the level it happened at, not an ENOENT from a recursive mkdir.
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      return { dir: abs, problem: `cannot create ${d}: ${describeFsError(err)}` };
    }
  }
  const probe = join(abs, `.write-test-${process.pid}`);
  try {
    writeFileSync(probe, 'ok\n', { flush: true });
  } catch (err) {
    return { dir: abs, problem: `cannot write in ${abs}: ${describeFsError(err)}` };
  } finally {
    rmSync(probe, { force: true });
  }
  return { dir: abs, problem: undefined };
}
