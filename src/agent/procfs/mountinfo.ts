/**
 * The mount table as the agent sees it, from <proc>/<pid>/mountinfo (procfs: generating it never asks
 * an NFS server anything). Parsing is src/host/mountinfo.ts; this only reads, bounded.
 */
import { join } from 'node:path';
import { type MountInfoParse, parseMountInfo } from '../../host/mountinfo.ts';
import { readBounded } from './read.ts';

/** 4 MiB holds ~20 000 mount lines: more than any node; beyond it the tail is dropped, not buffered. */
const MAX_MOUNTINFO_BYTES = 4 * 1024 * 1024;

/** `pid`: "self" (the agent's mount namespace) or "1" (the host's, when running with hostPID). */
export async function readMountInfo(proc: string, pid = 'self'): Promise<MountInfoParse & { file: string }> {
  const file = join(proc, pid, 'mountinfo');
  const text = await readBounded(file, MAX_MOUNTINFO_BYTES);
  if (text === undefined) throw new Error(`${file}: not found`);
  return { ...parseMountInfo(text), file };
}
