import type { Severity } from '../../core/severity.ts';

/** Every event carries exactly one family: what kind of component spoke. */
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

/** An example line: a bare message, or a message with the program that emitted it. */
export type Example = string | { program: string; message: string };

export interface Signature {
  /** Stable id, `<family>.<name>`. */
  id: string;
  family: Family;
  layer: Layer;
  severity: Severity;
  /** Literal substrings; a message must contain one before the regex runs (the fast path skips the rest). */
  needles: readonly string[];
  /** Named groups become fields (unless `fields` maps them). Keep to the grep -E-convertible subset. */
  pattern: RegExp;
  /** A line matching this belongs to another family that quotes this one's text (e.g. a sandbox error quoting the CNI). */
  unless?: RegExp;
  /** Only records from this program (the journal's SYSLOG_IDENTIFIER / syslog tag). */
  program?: RegExp;
  /** Map the regex groups to fields, e.g. split `ns/name`; default: every defined named group. */
  fields?: (
    groups: Record<string, string | undefined>,
    message: string,
  ) => Record<string, string | undefined>;
  /** Summary template; `{name}` is replaced by the field (or "?"). */
  summary: string;
  /** The lines of a kernel call trace that follow fold into this event. */
  foldsTrace?: boolean;
  /** Real lines this signature must match (its test). */
  examples: readonly Example[];
  /** Similar real lines it must not match. */
  nearMisses: readonly Example[];
}

export type FamilyEntry = Omit<Signature, 'family'>;

/** One module per family calls this; the family name is written once. */
export function defineFamily(family: Family, entries: readonly FamilyEntry[]): readonly Signature[] {
  return entries.map((e) => ({ ...e, family }));
}

export function exampleText(e: Example): { program: string | undefined; message: string } {
  return typeof e === 'string' ? { program: undefined, message: e } : e;
}
