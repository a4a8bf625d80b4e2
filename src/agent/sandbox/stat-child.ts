/**
 * The sacrificial child: a separate node process that stat()s and statfs()s one path and prints one
 * JSON line. If the path's filesystem hangs, only this child hangs (perhaps forever, in state D); the
 * agent's event loop and libuv thread pool never touch the path (principle 1).
 *
 * It is an inline script run with `node -e` so it works unchanged under tsx and from dist/ (tsc does
 * not copy .js/.mjs assets), needs no file on disk, and starts without the parent's loaders.
 * stat alone is not enough: NFS and FUSE answer it from the attribute cache; statfs always asks the
 * server (NFS FSSTAT, FUSE_STATFS).
 */

export interface StatChildReport {
  ok: boolean;
  /** Present when ok. */
  dev?: number;
  mode?: number;
  /** statfs f_type magic (0x6969 NFS, 0x65735546 FUSE…): shows which filesystem really answered. */
  fsType?: number;
  blocks?: number;
  bavail?: number;
  bsize?: number;
  statSeconds?: number;
  statfsSeconds?: number;
  /** Present when not ok: errno code (ENOTCONN, ESTALE, EIO, ENOENT…). */
  code?: string;
  syscall?: string;
  message?: string;
}

export const STAT_CHILD_SCRIPT = `
const fs = require('node:fs');
const path = process.argv[1];
const now = () => process.hrtime.bigint();
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
// Marks the end of node's own start-up: a deadline that passes before this line says nothing about
// the mount (an overloaded node), one that passes after it does.
process.stdout.write('started\\n');
try {
  const t0 = now();
  const s = fs.statSync(path);
  const t1 = now();
  const f = fs.statfsSync(path);
  const t2 = now();
  out({ ok: true, dev: s.dev, mode: s.mode, fsType: f.type, blocks: f.blocks, bavail: f.bavail, bsize: f.bsize,
        statSeconds: Number(t1 - t0) / 1e9, statfsSeconds: Number(t2 - t1) / 1e9 });
} catch (e) {
  out({ ok: false, code: e.code || 'UNKNOWN', syscall: e.syscall, message: e.message });
}
`;

export const STARTED_LINE = 'started';

/** Parse the child's report line; undefined when it is not a report. */
export function parseStatChildReport(line: string): StatChildReport | undefined {
  try {
    const v = JSON.parse(line) as unknown;
    if (typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean') {
      return v as StatChildReport;
    }
  } catch {
    // not JSON: fall through
  }
  return undefined;
}
