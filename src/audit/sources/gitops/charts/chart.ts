/** A chart whose values shape is well known, turned into the objects it would render. */
import type { YamlPath } from '../../../model.ts';
import type { ValuesSource } from '../wrappers.ts';

export interface DerivedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  body: Record<string, unknown>;
  /** The values path the object comes from (its location). */
  at: YamlPath;
  /** Maps a path inside `body` to the values path it came from. */
  valuesPath(path: YamlPath): YamlPath;
}

export interface ChartDeriver {
  /** Short id for docs and derivedFrom text. */
  id: string;
  /** Identified by chart name, as wrappers name it. */
  matches(chart: string): boolean;
  derive(src: ValuesSource): DerivedObject[];
}

/** Path mapping by prefix: the first rule whose `from` prefixes the path wins. */
export function prefixMapper(
  fallback: YamlPath,
  rules: readonly { from: YamlPath; to: YamlPath }[],
): (path: YamlPath) => YamlPath {
  return (path) => {
    for (const r of rules) {
      if (r.from.every((k, i) => path[i] === k)) return [...r.to, ...path.slice(r.from.length)];
    }
    return fallback;
  };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
