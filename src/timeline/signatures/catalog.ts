import { CNI } from './cni.ts';
import { DNS } from './dns.ts';
import { toEre } from './ere.ts';
import { HUNG_TASK } from './hung-task.ts';
import { KUBELET } from './kubelet.ts';
import { NFS } from './nfs.ts';
import { NODE } from './node.ts';
import { REBOOT } from './reboot.ts';
import type { Family, Signature } from './types.ts';

/** The family modules, by family: a new family module is added here and nowhere else. */
export const FAMILY_MODULES = {
  nfs: NFS,
  'hung-task': HUNG_TASK,
  dns: DNS,
  cni: CNI,
  kubelet: KUBELET,
  node: NODE,
  reboot: REBOOT,
} as const satisfies Record<Family, readonly Signature[]>;

/** A registered signature (its id is a literal of SignatureId). */
export type Registered = (typeof FAMILY_MODULES)[Family][number];

/** Every signature id in the catalog, plus the derived silence event (see correlate/extract.ts). */
export type SignatureId = Registered['id'] | 'reboot.log-gap';

/** The one registry, in matching order (a line takes the first signature that matches). */
export const CATALOG: readonly Registered[] = [
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
