/**
 * Small helpers for the agent's own local disk (the state directory): shared by the journal and the
 * outbox so both name the real cause when the disk refuses.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** "ENOSPC: no space left on device (/var/lib/faultline/x)" rather than the whole Node message. */
export function describeFsError(err: unknown): string {
  const text = String((err as Error)?.message ?? err);
  const m = /(E[A-Z]+): ([^,]+)(?:, \w+ '([^']+)')?/.exec(text);
  if (!m) return text;
  return m[3] ? `${m[1]}: ${m[2]} (${m[3]})` : `${m[1]}: ${m[2]}`;
}

/**
 * mkdir -p one level at a time. Node's recursive mkdir reports ENOENT for a directory it cannot
 * create on a read-only filesystem (and loops for ever under /proc); this throws the real error
 * (EROFS, EACCES, ENOSPC) of the level that failed.
 */
export function ensureDirSync(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    try {
      if (statSync(d).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${d}'`), { code: 'ENOTDIR' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.unshift(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
