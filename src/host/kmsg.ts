/**
 * Reads new records from /dev/kmsg without ever blocking (O_NONBLOCK: EAGAIN at the end). Each read()
 * returns one record: "PRI,SEQ,TS_USEC,FLAGS[,…];MESSAGE\n" plus " KEY=value" continuation lines
 * (Documentation/ABI/testing/dev-kmsg). The priority's facility is not relied on: the kernel writes
 * facility 0, `echo > /dev/kmsg` facility 1 (user), and both say the same thing.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';

export interface KmsgRecord {
  seq: number;
  /** Microseconds since boot. */
  tsUsec: number;
  level: number;
  message: string;
}

export function parseKmsgRecord(raw: string): KmsgRecord | undefined {
  const semi = raw.indexOf(';');
  if (semi === -1) return undefined;
  const [pri, seq, ts] = raw.slice(0, semi).split(',');
  if (pri === undefined || seq === undefined || ts === undefined) return undefined;
  const message = raw.slice(semi + 1).split('\n')[0] ?? '';
  return { seq: Number(seq), tsUsec: Number(ts), level: Number(pri) & 7, message };
}

export class KmsgReader {
  private fd: number | undefined;
  private readonly buf = Buffer.alloc(8192);

  constructor(private readonly path: string) {}

  /**
   * Every record not read yet (the first call returns the kernel's whole ring buffer).
   * Throws when the device cannot be opened (no CAP_SYSLOG, no /dev/kmsg in the container).
   */
  readAvailable(maxRecords = 10_000): KmsgRecord[] {
    if (this.fd === undefined) this.fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    const out: KmsgRecord[] = [];
    while (out.length < maxRecords) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        // EPIPE: records were overwritten before we read them; the next read continues after the gap.
        if (code === 'EPIPE') continue;
        // EINVAL: a record larger than the buffer (cannot happen with 8 KiB: records are ≤ 1 KiB + dict).
        if (code === 'EINVAL') break;
        throw e;
      }
      if (n === 0) break;
      // /dev/kmsg returns exactly one record per read; a plain file (a fixture) may return several.
      for (const raw of this.buf
        .subarray(0, n)
        .toString('utf8')
        .split(/\n(?! )/)) {
        const r = parseKmsgRecord(raw);
        if (r) out.push(r);
      }
    }
    return out;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
