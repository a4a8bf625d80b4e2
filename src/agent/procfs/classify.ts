/**
 * Which subsystem a D-state task waits on, from kernel symbol names (wchan and stack), then from the
 * filesystems of its open files. Symbol families as they appear on real stacks:
 *   nfs  – rpc_wait_bit_killable, __rpc_execute, rpc_*, xprt_*, nfs_*, nfs4_*, nfs_wait_bit_killable
 *   fuse – request_wait_answer, fuse_* (fuse_simple_request, fuse_do_readpage…)
 *   block – io_schedule, blk_*, bio_*, jbd2_*, wait_on_buffer, submit_bio_wait
 * A page-fault or page-cache wait (folio_wait_bit_common, filemap_fault) names no filesystem: it is
 * attributed to a hang-prone filesystem the process has files open on, else to block.
 */

export type Subsystem = 'nfs' | 'fuse' | 'block' | 'other';
export const SUBSYSTEMS: readonly Subsystem[] = ['nfs', 'fuse', 'block', 'other'];

const NFS = /^(rpc_|__rpc_|xprt_|nfs_|nfs4_|nfs3_|_nfs4_|__nfs_|nfs_wait|gss_)/;
const FUSE = /^(fuse_|request_wait_answer$)/;
const BLOCK =
  /^(io_schedule|blk_|bio_|__blk_|jbd2_|wait_on_buffer|__wait_on_buffer|submit_bio_wait|bit_wait_io)/;
const PAGE_WAIT =
  /^(folio_wait_bit_common|folio_wait_bit|__folio_lock|filemap_fault|wait_on_page_bit_common|__lock_page|filemap_read|do_read_cache_folio)$/;

/** Filesystem type → subsystem for attribution by open files. */
export function subsystemOfFsType(fsType: string): Subsystem | undefined {
  if (fsType === 'nfs' || fsType === 'nfs4') return 'nfs';
  if (fsType === 'fuse' || fsType.startsWith('fuse.') || fsType === 'fuseblk') return 'fuse';
  return undefined;
}

export function classify(
  wchan: string,
  stack: readonly string[],
  openFileFsTypes: readonly string[] = [],
): Subsystem {
  const symbols = [wchan, ...stack].filter((s) => s !== '');
  if (symbols.some((s) => NFS.test(s))) return 'nfs';
  if (symbols.some((s) => FUSE.test(s))) return 'fuse';
  const pageWait = symbols.some((s) => PAGE_WAIT.test(s));
  if (pageWait) {
    for (const t of openFileFsTypes) {
      const sub = subsystemOfFsType(t);
      if (sub) return sub;
    }
  }
  if (pageWait || symbols.some((s) => BLOCK.test(s))) return 'block';
  return 'other';
}
