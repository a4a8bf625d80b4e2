/** Where a piece of evidence came from. `line` and `column` are 1-based; absent when unknown. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** A Kubernetes-style object reference (also used for node files: kind "NodeFile"). */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export function formatLocation(loc: SourceLocation): string {
  if (loc.line === undefined) return loc.file;
  return loc.column === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.column}`;
}
