/**
 * fast-check arbitrary for one NFS mount option, shared by the parser's properties and the audit
 * rules' properties: the recovery, transport and version options the rules branch on, plus timeo and
 * retrans in a range the caller picks (and arbitrary strings, for the parser's never-throws property).
 */
import fc from 'fast-check';

const BASE = ['hard', 'soft', 'softerr', 'tcp', 'udp', 'intr', 'noac', 'nfsvers=4.1', 'vers=3'];

export interface NfsOptionArbOptions {
  timeo: { min: number; max: number };
  retrans: { min: number; max: number };
  /** Options besides the common ones. */
  extra?: readonly string[];
  /** Also arbitrary short strings (junk a user may write). */
  junk?: boolean;
}

export function nfsOptionArb(o: NfsOptionArbOptions): fc.Arbitrary<string> {
  const arbs: fc.Arbitrary<string>[] = [
    fc.constantFrom(...BASE, ...(o.extra ?? [])),
    fc.integer(o.timeo).map((n) => `timeo=${n}`),
    fc.integer(o.retrans).map((n) => `retrans=${n}`),
  ];
  if (o.junk) arbs.push(fc.string({ maxLength: 12 }));
  return fc.oneof(...arbs);
}
