import { CNI } from './cni.ts';
import { DNS } from './dns.ts';
import { toEre } from './ere.ts';
import { HUNG_TASK } from './hung-task.ts';
import { KUBELET } from './kubelet.ts';
import { NFS } from './nfs.ts';
import { NODE } from './node.ts';
import { REBOOT } from './reboot.ts';
import type { Signature } from './types.ts';

/** The one registry: a new family module is added here and nowhere else. */
export const CATALOG: readonly Signature[] = [
  ...NFS,
  ...HUNG_TASK,
  ...DNS,
  ...CNI,
  ...KUBELET,
  ...NODE,
  ...REBOOT,
];

/** Every signature's regex, in catalog order (for benchmarks and tools that match lines themselves). */
export const CATALOG_PATTERNS: RegExp[] = CATALOG.map((s) => s.pattern);

/**
 * The same patterns as POSIX extended regexes for GNU `grep -E` (`grep -E -c -e P1 -e P2 …`). Each is the
 * JS pattern without named groups and lazy quantifiers, so it matches at least what the JS one matches.
 */
export const CATALOG_ERE: string[] = CATALOG.map((s) => toEre(s.pattern));
