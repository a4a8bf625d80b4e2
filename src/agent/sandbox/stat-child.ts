/**
 * The sacrificial child: a separate process that stat()s and statfs()s one path and reports. If the
 * path's filesystem hangs, only this child hangs (perhaps forever, in state D); the agent's event loop
 * and libuv thread pool never touch the path (principle 1).
 * stat alone is not enough: NFS and FUSE answer it from the attribute cache; statfs always asks the
 * server (NFS FSSTAT, FUSE_STATFS).
 *
 * Two runners, same report:
 * - coreutils (preferred): `sh -c 'stat … && stat -f …'` — about 2 ms of CPU per probe;
 * - node (fallback for images without coreutils): an inline `node -e` script, which works unchanged
 *   under tsx and from dist/ (tsc does not copy .js assets) but costs ~0.1 s of CPU per start — too
 *   much every few seconds per mount, hence the preference.
 */
import { accessSync, constants } from 'node:fs';

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

export type Runner = 'coreutils' | 'node';

/** Shell + GNU stat: line 1 from stat(2) (dev, raw mode in hex), line 2 from statfs(2). */
const SH_SCRIPT = 'stat -L -c "%d %f" -- "$1" && stat -f -L -c "%t %b %a %S" -- "$1"';

/** The first of these that is executable, or undefined. Checked once, on local disk. */
function firstExecutable(candidates: string[]): string | undefined {
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

export interface ChildCommand {
  runner: Runner;
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The command that probes `path` with the chosen runner ("auto": coreutils when present). */
export function childCommand(
  path: string,
  runner: Runner | 'auto',
  nodePath = process.execPath,
): ChildCommand {
  if (runner !== 'node') {
    const sh = firstExecutable(['/bin/sh', '/usr/bin/sh']);
    const stat = firstExecutable(['/usr/bin/stat', '/bin/stat']);
    if (sh && stat) {
      // C locale: error texts are parsed back into errno names.
      return {
        runner: 'coreutils',
        file: sh,
        args: ['-c', SH_SCRIPT, 'sh', path],
        env: { LC_ALL: 'C', PATH: stat.replace(/\/stat$/, '') },
      };
    }
    if (runner === 'coreutils') throw new Error('runner "coreutils" needs /bin/sh and stat (GNU coreutils)');
  }
  return { runner: 'node', file: nodePath, args: ['-e', STAT_CHILD_SCRIPT, '--', path], env: {} };
}

const STRERROR: Record<string, string> = {
  'No such file or directory': 'ENOENT',
  'Transport endpoint is not connected': 'ENOTCONN',
  'Stale file handle': 'ESTALE',
  'Input/output error': 'EIO',
  'Permission denied': 'EACCES',
  'Operation not permitted': 'EPERM',
  'Not a directory': 'ENOTDIR',
  'Too many levels of symbolic links': 'ELOOP',
  'Connection timed out': 'ETIMEDOUT',
  'Host is down': 'EHOSTDOWN',
  'No route to host': 'EHOSTUNREACH',
  'Operation canceled': 'ECANCELED',
};

/** Turn the coreutils runner's exit status and output into the same report the node runner prints. */
export function parseCoreutilsOutput(code: number | null, stdout: string, stderr: string): StatChildReport {
  if (code === 0) {
    const [l1 = '', l2 = ''] = stdout.trim().split('\n');
    const [dev, mode] = l1.trim().split(/\s+/);
    const [type, blocks, bavail, bsize] = l2.trim().split(/\s+/);
    if (dev === undefined || type === undefined || blocks === undefined) {
      return {
        ok: false,
        code: 'UNKNOWN',
        message: `unexpected stat output: ${stdout.trim().slice(0, 200)}`,
      };
    }
    return {
      ok: true,
      dev: Number(dev),
      mode: Number.parseInt(mode ?? '0', 16),
      fsType: Number.parseInt(type, 16),
      blocks: Number(blocks),
      bavail: Number(bavail),
      bsize: Number(bsize),
    };
  }
  const line = stderr.trim().split('\n')[0] ?? '';
  const text = line.slice(line.lastIndexOf(': ') + 2);
  return {
    ok: false,
    code: STRERROR[text] ?? 'UNKNOWN',
    syscall: line.includes('file system information') ? 'statfs' : 'stat',
    message: line || `stat exited with code ${code}`,
  };
}
