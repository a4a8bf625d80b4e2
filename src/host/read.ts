/**
 * Bounded reads of procfs/sysfs files. These never wait on a network filesystem, but a file can be
 * large (mountinfo on a busy node, mountstats) or vanish mid-scan (a process exits): read at most
 * `maxBytes`, and return undefined for files that are gone instead of throwing.
 */
import { open } from 'node:fs/promises';

export const GONE_CODES = new Set(['ENOENT', 'ESRCH', 'ENOTDIR']);

/** Read up to maxBytes of a (proc) file as UTF-8. Throws on errors other than "it is gone". */
export async function readBounded(path: string, maxBytes: number): Promise<string | undefined> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if (GONE_CODES.has((e as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw e;
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // procfs files report size 0: read until EOF or the cap, never trust stat().size.
    while (total < maxBytes) {
      const buf = Buffer.alloc(Math.min(65536, maxBytes - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (GONE_CODES.has((e as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw e;
  } finally {
    await fh.close();
  }
}
