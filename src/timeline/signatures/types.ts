import type { Severity } from '../../core/severity.ts';

/**
 * What failed: the cause families. An event names every family its line is evidence for (a sandbox
 * failure quoting the CNI's 429 is a CNI failure and a pod failure), cause first; who printed the line
 * is the event's `reporter`, not its family.
 */
export const FAMILIES = ['nfs', 'hung-task', 'dns', 'cni', 'kubelet', 'node', 'reboot'] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * The dependency model, cause first: a failure in one layer can take down the layers after it, never
 * the ones before. The cascade chain is built along this order.
 */
export const LAYERS = ['storage', 'blocked-tasks', 'dns', 'cni', 'pods', 'node', 'reboot'] as const;
export type Layer = (typeof LAYERS)[number];

export const LAYER_LABELS: Record<Layer, string> = {
  storage: 'NFS',
  'blocked-tasks': 'hung tasks',
  dns: 'DNS',
  cni: 'CNI',
  pods: 'pods',
  node: 'node',
  reboot: 'reboot',
};

/** The layer each family's failures sit on. */
export const FAMILY_LAYER: Record<Family, Layer> = {
  nfs: 'storage',
  'hung-task': 'blocked-tasks',
  dns: 'dns',
  cni: 'cni',
  kubelet: 'pods',
  node: 'node',
  reboot: 'reboot',
};

/** Families in dependency order (storage first). */
export function byLayer(families: Iterable<Family>): Family[] {
  return [...new Set(families)].sort(
    (a, b) => LAYERS.indexOf(FAMILY_LAYER[a]) - LAYERS.indexOf(FAMILY_LAYER[b]),
  );
}

/** An example line: a bare message, or a message with the program that emitted it. */
export type Example = string | { program: string; message: string };

export interface Signature<Id extends string = string> {
  /** Stable id, `<family>.<name>`. */
  id: Id;
  family: Family;
  severity: Severity;
  /** Literal substrings; a message must contain one before the regex runs (the fast path skips the rest). */
  needles: readonly string[];
  /** Named groups become fields (unless `fields` maps them). Keep to the grep -E-convertible subset. */
  pattern: RegExp;
  /** A line matching this belongs to another family that quotes this one's text (e.g. a sandbox error quoting the CNI). */
  unless?: RegExp;
  /** Only records from this program (the journal's SYSLOG_IDENTIFIER / syslog tag). */
  program?: RegExp;
  /**
   * Map the regex groups to fields, e.g. split `ns/name`; default: every defined named group. Undefined
   * or empty values are left out (classify.ts), so a field that may be missing needs no `if`.
   */
  fields?: (
    groups: Record<string, string | undefined>,
    message: string,
  ) => Record<string, string | undefined>;
  /** Summary template; `{name}` is replaced by the field (or "?"). */
  summary: string;
  /**
   * Families that caused what this signature reports, known from the signature alone (a task whose
   * stack is inside the NFS client waits on NFS). Causes quoted in the line are found by causes.ts.
   */
  causedBy?: readonly Family[];
  /** The lines of a kernel call trace that follow fold into this event. */
  foldsTrace?: boolean;
  /** Real lines this signature must match (its test). */
  examples: readonly Example[];
  /** Similar real lines it must not match. */
  nearMisses: readonly Example[];
}

export type FamilyEntry<Id extends string = string> = Omit<Signature<Id>, 'family'>;

/**
 * One module per family calls this; the family name is written once. The ids stay literal types, so
 * `SignatureId` (catalog.ts) is the union of every registered id and correlation code that names one
 * is checked by the compiler.
 */
export function defineFamily<const Id extends `${F}.${string}`, F extends Family>(
  family: F,
  entries: readonly FamilyEntry<Id>[],
): readonly Signature<Id>[] {
  return entries.map((e) => ({ ...e, family }));
}

export function exampleText(e: Example): { program: string | undefined; message: string } {
  return typeof e === 'string' ? { program: undefined, message: e } : e;
}
