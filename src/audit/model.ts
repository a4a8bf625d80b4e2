/**
 * The audit's view of its inputs. Sources (files, cluster, node root) produce these; rules read them.
 * Rules never do I/O: everything they need is in the Inventory.
 */
import type { InputProblem } from '../core/errors.ts';
import type { ObjectRef, SourceLocation } from '../core/location.ts';

export type YamlPath = readonly (string | number)[];

/** One Kubernetes object, wherever it came from (a file, a List item, Helm values, the live cluster). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  /** The object as plain data. */
  body: Record<string, unknown>;
  /** Where the object starts (file and line of `kind:`/document start; cluster objects use a pseudo file). */
  location: SourceLocation;
  /** File line of a value inside the object, e.g. ['spec', 'mountOptions', 0]; falls back to `location`. */
  locate(path: YamlPath): SourceLocation;
  /** Set when the object was synthesised from something else, e.g. `HelmRelease flux-system/nfs values`. */
  derivedFrom?: string;
}

export function objectRef(o: K8sObject): ObjectRef {
  return o.namespace === undefined
    ? { kind: o.kind, name: o.name }
    : { kind: o.kind, name: o.name, namespace: o.namespace };
}

/** Safe accessors for untyped object bodies. */
export function getPath(value: unknown, path: YamlPath): unknown {
  let cur: unknown = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export function getString(value: unknown, path: YamlPath): string | undefined {
  const v = getPath(value, path);
  return typeof v === 'string' ? v : undefined;
}

export function getArray(value: unknown, path: YamlPath): unknown[] {
  const v = getPath(value, path);
  return Array.isArray(v) ? v : [];
}

export function getRecord(value: unknown, path: YamlPath): Record<string, unknown> | undefined {
  const v = getPath(value, path);
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** What a scan collected: objects, node facts, and the problems it hit along the way. */
export interface ScanInput {
  objects: K8sObject[];
  /** Node configuration facts when `--node-root` was given (shape owned by `sources/node/`). */
  node: NodeFacts | undefined;
  errors: InputProblem[];
  /** Files read, for the summary. */
  filesScanned: number;
}

/**
 * Parsed node configuration. Each present file keeps its path as seen on the node (e.g. /etc/fstab)
 * and its lines, so node rules can point at `file:line`. Defined in sources/node/facts.ts.
 */
export type { NodeFacts } from './sources/node/facts.ts';

import type { NodeFacts } from './sources/node/facts.ts';
