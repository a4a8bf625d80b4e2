/**
 * What a blocked task waits on, from kernel symbol names: its wchan and the frames of its stack (as
 * /proc/PID/stack or a hung-task call trace prints them, with the module in brackets). One classifier
 * for the agent's D-state probe and the timeline's hung-task signatures.
 *
 * Sides are settled by where the code lives in the kernel tree:
 *   nfs (client)  fs/nfs/ (modules nfs, nfsv3, nfsv4); net/sunrpc/ client code — clnt.c (call_*),
 *                 sched.c (rpc_*, __rpc_*), xprt*.c (xprt_*, xs_*), auth*.c (rpcauth_*), rpcb_clnt.c;
 *                 net/sunrpc/auth_gss/auth_gss.c (gss_*: gss_cred_init waits on the rpc.gssd upcall
 *                 before the client can talk to its server); fs/lockd/clntproc.c (nlmclnt_*).
 *   nfsd (server) fs/nfsd/ (module nfsd — including its nfs4_* state functions such as nfs4_lock_state);
 *                 net/sunrpc/svc*.c (svc_process, svc_recv …), cache.c; auth_gss/svcauth_gss.c and
 *                 gss_rpc_upcall.c (svcauth_gss_*, gss_svc_*, gssp_*, rsc_/rsi_); fs/lockd/svc*.c.
 *   fuse          fs/fuse/ (fuse_*, request_wait_answer).
 *   block         block/ (blk_*, bio_*, submit_bio*), fs/jbd2/, buffer waits, io_schedule.
 * A page-cache wait (folio_wait_bit_common, filemap_fault) names no filesystem: the caller attributes it
 * by the filesystems of the task's open files.
 */

export type Subsystem = 'nfs' | 'nfsd' | 'fuse' | 'block' | 'other';
/** Most telling first: the order a process's threads are ranked in. */
export const SUBSYSTEMS: readonly Subsystem[] = ['nfs', 'fuse', 'block', 'nfsd', 'other'];

export interface Frame {
  symbol: string;
  /** Kernel module in brackets after the offset ("[sunrpc]"); undefined for built-in code. */
  module?: string | undefined;
}

export type FrameKind = 'nfs-client' | 'nfs-server' | 'fuse' | 'block' | 'page-wait';

/** Modules that hold only one side (fs/nfs, fs/nfsd). */
export const NFS_CLIENT_MODULES = ['nfs', 'nfsv2', 'nfsv3', 'nfsv4'] as const;
export const NFS_SERVER_MODULES = ['nfsd'] as const;
/** Modules with both sides (net/sunrpc, net/sunrpc/auth_gss, fs/lockd): the symbol decides. */
export const NFS_SHARED_MODULES = ['sunrpc', 'auth_rpcgss', 'lockd'] as const;

/** Symbol prefixes of the server side inside the shared modules (and of fs/nfsd itself). */
export const NFS_SERVER_SYMBOL_SOURCE = String.raw`_*(?:nfsd|svc|svcauth_|gss_svc_|gssp_|rsc_|rsi_|cache_check|cache_wait_req|nlmsvc_|nlm4svc_|lockd\b)`;
/** Symbol prefixes of the client side, recognisable without a module (a bare wchan, `ps` output). */
export const NFS_CLIENT_SYMBOL_SOURCE = String.raw`_*(?:nfs_|nfs[234]\w*?_|pnfs_|rpc_|rpcauth_|rpcb_|xprt_|xs_|gss_|nlmclnt_)`;

const SERVER_SYMBOL = new RegExp(`^${NFS_SERVER_SYMBOL_SOURCE}`);
const CLIENT_SYMBOL = new RegExp(`^${NFS_CLIENT_SYMBOL_SOURCE}`);
const FUSE = /^(?:fuse_|request_wait_answer$)/;
const BLOCK =
  /^(?:io_schedule|blk_|bio_|__blk_|jbd2_|wait_on_buffer|__wait_on_buffer|submit_bio_wait|bit_wait_io)/;
const PAGE_WAIT =
  /^(?:folio_wait_bit_common|folio_wait_bit|__folio_lock|filemap_fault|wait_on_page_bit_common|__lock_page|filemap_read|do_read_cache_folio)$/;

const has = (list: readonly string[], m: string | undefined) => m !== undefined && list.includes(m);

/** What one frame says about the wait; undefined when it says nothing (schedule, mutex_lock, zfs…). */
export function frameKind(symbol: string, module?: string): FrameKind | undefined {
  if (has(NFS_SERVER_MODULES, module)) return 'nfs-server';
  if (has(NFS_CLIENT_MODULES, module)) return 'nfs-client';
  if (has(NFS_SHARED_MODULES, module)) return SERVER_SYMBOL.test(symbol) ? 'nfs-server' : 'nfs-client';
  if (module === 'fuse' || FUSE.test(symbol)) return 'fuse';
  if (SERVER_SYMBOL.test(symbol)) return 'nfs-server';
  if (CLIENT_SYMBOL.test(symbol)) return 'nfs-client';
  if (PAGE_WAIT.test(symbol)) return 'page-wait';
  if (module === 'jbd2' || BLOCK.test(symbol)) return 'block';
  return undefined;
}

/** True when the frame is NFS client code: a task waiting there waits on an NFS server. */
export function isNfsClientFrame(symbol: string, module?: string): boolean {
  return frameKind(symbol, module) === 'nfs-client';
}

/** Filesystem type → subsystem, for attributing a page-cache wait by the task's open files. */
export function subsystemOfFsType(fsType: string): Subsystem | undefined {
  if (fsType === 'nfs' || fsType === 'nfs4') return 'nfs';
  if (fsType === 'fuse' || fsType.startsWith('fuse.') || fsType === 'fuseblk') return 'fuse';
  return undefined;
}

/**
 * The subsystem a blocked task waits on. Any NFS client frame wins (an nfsd re-exporting an NFS mount,
 * or page writeback waiting for WRITE replies under io_schedule, waits on the remote server); then
 * FUSE; a page-cache wait goes to a hang-prone filesystem the task has files open on, else to block;
 * an NFS server thread (nfsd) that waits in its own code, not on storage, is "nfsd".
 * The wchan counts only when the stack is unreadable (it is the stack's top frame otherwise, and the
 * stack carries the module that settles the side).
 */
export function classifyStack(
  wchan: string,
  stack: readonly Frame[],
  openFileFsTypes: readonly string[] = [],
): Subsystem {
  const frames = stack.length > 0 ? stack : wchan !== '' && wchan !== '0' ? [{ symbol: wchan }] : [];
  const kinds = new Set(frames.map((f) => frameKind(f.symbol, f.module)));
  if (kinds.has('nfs-client')) return 'nfs';
  if (kinds.has('fuse')) return 'fuse';
  if (kinds.has('page-wait')) {
    for (const t of openFileFsTypes) {
      const sub = subsystemOfFsType(t);
      if (sub) return sub;
    }
    return 'block';
  }
  if (kinds.has('block')) return 'block';
  if (kinds.has('nfs-server')) return 'nfsd';
  return 'other';
}

/** A frame as the kernel prints it in a trace (`nfs_write_begin+0xa8/0x590 [nfs]`, maybe after `? `) or
 * as /proc/PID/stack shows it (`[<0>] rpc_wait_bit_killable+0x1e/0xa0 [sunrpc]`), with an optional
 * `[ 123.456]` printk stamp. */
export const FRAME_PREFIX_SOURCE = String.raw`^\s*(?:\[<[0-9a-fx]+>\] )?(?:\? )?`;
export const FRAME_OFFSET_SOURCE = String.raw`\+0x[0-9a-f]+/0x[0-9a-f]+`;
const FRAME_LINE = new RegExp(
  `${FRAME_PREFIX_SOURCE}(?<symbol>[\\w.]+)${FRAME_OFFSET_SOURCE}(?: \\[(?<module>\\w+)\\])?`,
);

/** One frame line → symbol and module; undefined for lines that are not frames. */
export function parseFrame(line: string): Frame | undefined {
  const g = FRAME_LINE.exec(line.replace(/^\[\s*\d+\.\d+\]\s?/, ''))?.groups;
  if (!g?.symbol) return undefined;
  return g.module ? { symbol: g.symbol, module: g.module } : { symbol: g.symbol };
}

/** /proc/PID/stack ("[<0>] folio_wait_bit_common+0x167/0x370") or a call trace → frames, top first. */
export function parseStack(text: string): Frame[] {
  const out: Frame[] = [];
  for (const line of text.split('\n')) {
    const f = parseFrame(line);
    if (f) out.push(f);
  }
  return out;
}

/**
 * A lookaround-free superset of nfsClientFrameLineSource (the timeline also runs its catalog through
 * `grep -E`): every frame with a client-side name or in an NFS/SUNRPC module.
 */
export function nfsFrameLineSupersetSource(): string {
  const modules = [...NFS_CLIENT_MODULES, ...NFS_SHARED_MODULES].join('|');
  return (
    `${FRAME_PREFIX_SOURCE}(?:(?<symbol>${NFS_CLIENT_SYMBOL_SOURCE}\\w*)${FRAME_OFFSET_SOURCE}` +
    `|(?<modsymbol>\\w+)${FRAME_OFFSET_SOURCE} \\[(?:${modules})\\])`
  );
}

/**
 * A regex over one trace line that matches exactly the frames frameKind calls NFS client code — for
 * the timeline's signature catalog, whose patterns are regexes. Built from the same tables; the stack
 * test checks it against frameKind on every real frame.
 */
export function nfsClientFrameLineSource(): string {
  const client = NFS_CLIENT_MODULES.join('|');
  const shared = NFS_SHARED_MODULES.join('|');
  const server = NFS_SERVER_SYMBOL_SOURCE;
  const offset = FRAME_OFFSET_SOURCE;
  return (
    `${FRAME_PREFIX_SOURCE}(?:` +
    // A client-side name, built in or in any module but nfsd's and fuse's.
    `(?!${server})(?<symbol>${NFS_CLIENT_SYMBOL_SOURCE}\\w*)${offset}(?![0-9a-f]| \\[(?:${NFS_SERVER_MODULES.join('|')}|fuse)\\])` +
    // Any name in fs/nfs, or a non-server name in sunrpc / auth_rpcgss / lockd.
    `|(?!${server}\\w*${offset} \\[(?:${shared})\\])(?<modsymbol>\\w+)${offset} \\[(?:${client}|${shared})\\])`
  );
}
