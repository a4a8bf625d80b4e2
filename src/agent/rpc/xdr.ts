/**
 * The few XDR (RFC 4506) and record-marking (RFC 5531 §11) pieces an RPC NULL / GETPORT call needs.
 * Pure: no sockets here, so framing edge cases are unit-testable.
 */

/** Largest reply record we accept. A NULL or GETPORT reply is a few dozen bytes; more is garbage. */
export const MAX_RECORD_BYTES = 64 * 1024;

/** Prefix one record with a single last-fragment header (bit 31 set, low 31 bits = length). */
export function frameRecord(body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE((0x80000000 | body.length) >>> 0, 0);
  return Buffer.concat([header, body]);
}

/**
 * Reassembles records from a TCP byte stream: a record is one or more fragments, each with a 4-byte
 * header; bytes may arrive split anywhere (inside a header, across fragments, several records at once).
 */
export class RecordReader {
  private pending: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private recordBytes = 0;

  /** Feed bytes; returns the records completed by them. Throws on an oversized record. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      if (this.pending.length < 4) break;
      const header = this.pending.readUInt32BE(0);
      const last = (header & 0x80000000) !== 0;
      const length = header & 0x7fffffff;
      if (this.recordBytes + length > MAX_RECORD_BYTES) {
        throw new Error(`RPC record larger than ${MAX_RECORD_BYTES} bytes (fragment of ${length})`);
      }
      if (this.pending.length < 4 + length) break;
      this.fragments.push(this.pending.subarray(4, 4 + length));
      this.recordBytes += length;
      this.pending = this.pending.subarray(4 + length);
      if (last) {
        out.push(Buffer.concat(this.fragments));
        this.fragments = [];
        this.recordBytes = 0;
      }
    }
    return out;
  }
}

/** Sequential big-endian reader that throws a descriptive error when the message is cut short. */
export class XdrReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  u32(what: string): number {
    if (this.offset + 4 > this.buf.length) {
      throw new Error(`truncated RPC reply: no ${what} at byte ${this.offset} (length ${this.buf.length})`);
    }
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** Variable-length opaque: u32 length, bytes, padding to a multiple of 4. */
  opaque(what: string, max = 400): Buffer {
    const len = this.u32(`${what} length`);
    if (len > max) throw new Error(`RPC reply ${what} length ${len} exceeds ${max}`);
    const padded = (len + 3) & ~3;
    if (this.offset + padded > this.buf.length) throw new Error(`truncated RPC reply: ${what} cut short`);
    const v = this.buf.subarray(this.offset, this.offset + len);
    this.offset += padded;
    return v;
  }

  rest(): Buffer {
    return this.buf.subarray(this.offset);
  }
}
