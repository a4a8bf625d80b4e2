/** Node configuration facts read under --node-root. Filled in by the node source readers. */
export interface NodeFacts {
  /** The root directory that was read (e.g. "/" on a node, a fixture dir in tests). */
  root: string;
}
