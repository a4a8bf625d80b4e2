/**
 * Kubernetes YAML → K8sObjects with line numbers. Multi-document streams, comments, anchors, and
 * `kind: List` / `*List` dumps (`kubectl get -o yaml|json`; JSON is YAML) are handled here.
 * One broken document is reported with its line; the others still load.
 */
import { Composer, isMap, isSeq, LineCounter, type Node, Parser, parseAllDocuments } from 'yaml';
import type { InputProblem } from '../../core/errors.ts';
import type { SourceLocation } from '../../core/location.ts';
import type { K8sObject, YamlPath } from '../model.ts';

export interface ParsedManifests {
  objects: K8sObject[];
  errors: InputProblem[];
  /** Not errors: duplicate keys, documents or values left unread past a bound. */
  warnings: InputProblem[];
  /** Documents that parsed but are not Kubernetes objects (no apiVersion/kind): skipped quietly. */
  skipped: number;
  /** Documents that are Helm/Jinja templates (`{{ … }}`, `{% … %}`) and not valid YAML: skipped. */
  templates: number;
}

/** Objects taken from one file; past it the rest is reported and left (a 130,000-document file). */
export const MAX_OBJECTS_PER_FILE = 50_000;
/**
 * Values (commas and line breaks, counted before parsing) one file may hold. The YAML library keeps a
 * node per value, ~1 KB each with its tokens: 7 million numbers in one JSON array took 4.4 GB, 1.9
 * million took 1.8 GB and 20 s (measured). At 1 million the worst case stays near 1 GB; a bigger dump
 * is reported with its line and can be split.
 */
export const MAX_VALUES_PER_FILE = 1_000_000;

/** Helm/Jinja markers, and Flux `${VAR}` (substituted in the text before it is YAML; in a flow `[…]` it is not valid YAML until then). */
const TEMPLATE_MARKER = /\{\{|\{%|\{#|\$\{[A-Za-z_]/;
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, logLevel: 'error' } as const;

export function parseManifests(text: string, file: string): ParsedManifests {
  // A UTF-8 byte-order mark (Windows editors) is not YAML content.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const result: ParsedManifests = { objects: [], errors: [], warnings: [], skipped: 0, templates: 0 };
  const values = countValues(text, MAX_VALUES_PER_FILE);
  if (values > MAX_VALUES_PER_FILE) {
    result.errors.push({
      file,
      line: 1,
      message: `more than ${MAX_VALUES_PER_FILE.toLocaleString('en')} values in one file: not parsed (bounded so one file cannot exhaust memory); split it to audit it`,
    });
    return result;
  }
  const lineCounter = new LineCounter();
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const ctx: CollectContext = { file, lineAt, out: result };
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer(PARSE_OPTIONS);
  // Documents one at a time: nothing holds the whole stream's node trees at once.
  for (const doc of composer.compose(parser.parse(text))) {
    if (result.objects.length >= MAX_OBJECTS_PER_FILE) {
      result.warnings.push({
        file,
        line: lineAt(doc.range[0]),
        message: `stopped after ${MAX_OBJECTS_PER_FILE.toLocaleString('en')} objects in one file: the documents from here on were not read`,
      });
      break;
    }
    if (doc.errors.length > 0) {
      if (TEMPLATE_MARKER.test(text.slice(doc.range[0], doc.range[2]))) {
        result.templates++;
        continue;
      }
      // The first error explains the document; the ones after it are usually its echoes.
      const e = doc.errors[0]!;
      result.errors.push({
        file,
        line: e.linePos?.[0]?.line ?? lineAt(e.pos[0]),
        message: `YAML: ${firstLine(e.message)}`,
      });
      continue;
    }
    const root = doc.contents;
    if (!root) continue;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      result.errors.push({ file, line: lineAt(root.range?.[0] ?? 0), message: `YAML: ${String(err)}` });
      continue;
    }
    collect(data, root, [], ctx);
  }
  return result;
}

/** Commas and line breaks up to `limit` + 1: a cheap upper bound on the number of YAML/JSON values. */
function countValues(text: string, limit: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 10) n++;
  }
  return n;
}

interface CollectContext {
  /** Set once a List was cut at MAX_OBJECTS_PER_FILE (one warning per file). */
  listCapped?: boolean;
  file: string;
  lineAt: (offset: number) => number;
  out: ParsedManifests;
}

/** Synthetic apiVersion for Talos documents that have none (machine configs, patches, talconfig). */
export const TALOS_API_VERSION = 'faultline.dev/talos';

/** `TalosMachineConfig` (a machine config or patch: `machine:`), `TalhelperConfig` (talconfig.yaml). */
function talosKind(body: Record<string, unknown>): string | undefined {
  const machine = body.machine;
  if (machine !== null && typeof machine === 'object' && !Array.isArray(machine)) return 'TalosMachineConfig';
  if (typeof body.clusterName === 'string' && Array.isArray(body.nodes)) return 'TalhelperConfig';
  return undefined;
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function collect(data: unknown, node: Node, basePath: YamlPath, ctx: CollectContext): void {
  const { file, lineAt, out } = ctx;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    out.skipped++;
    return;
  }
  let body = data as Record<string, unknown>;
  let kind: string;
  let apiVersion: string;
  if (typeof body.kind === 'string' && typeof body.apiVersion === 'string') {
    kind = body.kind;
    apiVersion = body.apiVersion;
  } else {
    // Talos machine configs, patches and talhelper's talconfig.yaml have no kind: keep them as
    // node configuration (they may write /etc/nfsmount.conf).
    const talos = talosKind(body);
    if (talos === undefined) {
      out.skipped++;
      return;
    }
    kind = talos;
    apiVersion = TALOS_API_VERSION;
    // The copy shares the original's containers; indexOffsets below indexes them through it.
    body = { ...body, apiVersion, kind, metadata: { name: basename(file) } };
  }
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(body.items))) {
    const items = Array.isArray(body.items) ? body.items : [];
    const itemsNode = isMap(node) ? node.get('items', true) : undefined;
    items.forEach((item, i) => {
      const child = isSeq(itemsNode) ? (itemsNode.items[i] as Node | undefined) : undefined;
      // Items of typed lists (PersistentVolumeList) may omit kind/apiVersion, as the API server does.
      const filled =
        item && typeof item === 'object' && !Array.isArray(item) && !('kind' in item) && kind !== 'List'
          ? { apiVersion, kind: kind.slice(0, -4), ...(item as object) }
          : item;
      if (out.objects.length < MAX_OBJECTS_PER_FILE)
        collect(filled, child ?? node, [...basePath, 'items', i], ctx);
      else if (!ctx.listCapped) {
        ctx.listCapped = true;
        out.warnings.push({
          file,
          line: lineAt((child ?? node).range?.[0] ?? 0),
          message: `stopped after ${MAX_OBJECTS_PER_FILE.toLocaleString('en')} objects in one file: List items from here on (${items.length - i} of ${items.length}) were not read`,
        });
      }
    });
    return;
  }
  const metadata = (body.metadata ?? {}) as Record<string, unknown>;
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const start = node.range?.[0] ?? 0;
  const location: SourceLocation = { file, line: lineAt(start) };
  // Keep source offsets beside the data instead of the YAML node tree: the tree costs ~17 KB per
  // object (measured on the bench corpus), the offsets a small record per map or list.
  indexOffsets(node, body, ctx);
  const locate = locator(body, start, location, lineAt);
  out.objects.push({ apiVersion, kind, name, namespace, body, location, locate });
}

/**
 * A top-level factory on purpose: a closure created inside collect() would share its scope, which
 * holds the YAML node, and keep the whole node tree alive.
 */
function locator(
  body: Record<string, unknown>,
  start: number,
  location: SourceLocation,
  lineAt: (offset: number) => number,
): (path: YamlPath) => SourceLocation {
  return (path) => {
    let cur: unknown = body;
    let offset = start;
    for (const key of path) {
      if (cur === null || typeof cur !== 'object') break;
      const rec = OFFSETS.get(cur as object);
      const o =
        rec === undefined
          ? undefined
          : Array.isArray(rec)
            ? typeof key === 'number'
              ? rec[key]
              : undefined
            : rec[String(key)];
      if (o === undefined) break; // a missing leaf points at its parent
      offset = o;
      cur = (cur as Record<string | number, unknown>)[key];
    }
    return offset === start ? location : { file: location.file, line: lineAt(offset) };
  };
}

/**
 * Source offset of each key's value (map) or each item (list), keyed by the plain-data container it
 * belongs to. Scalars point at their value; collections at their first entry — as nodeAt() does.
 */
const OFFSETS = new WeakMap<object, Record<string, number> | number[]>();

function indexOffsets(node: Node, data: unknown, ctx: CollectContext | undefined): void {
  if (data === null || typeof data !== 'object') return;
  if (isMap(node) && !Array.isArray(data)) {
    const rec: Record<string, number> = Object.create(null);
    // With duplicate keys only the last pair's value is in `data`: index its children, not the others'.
    const lastPair = new Map<string, unknown>();
    for (const pair of node.items) {
      const k = pair.key as { value?: unknown } | null;
      if (k !== null && typeof k === 'object' && k.value !== undefined) lastPair.set(String(k.value), pair);
    }
    for (const pair of node.items) {
      const k = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      if (k === null || typeof k !== 'object' || k.value === undefined) continue;
      const key = String(k.value);
      const value = pair.value as Node | null;
      const target = value?.range ? value.range[0] : k.range?.[0];
      if (target !== undefined) {
        // The last duplicate is the one that takes effect (uniqueKeys: false): point there, and say so.
        if (key in rec && ctx)
          ctx.out.warnings.push({
            file: ctx.file,
            line: ctx.lineAt(k.range?.[0] ?? target),
            message: `duplicate key '${key}' (also at line ${ctx.lineAt(rec[key]!)}): this later one takes effect`,
          });
        rec[key] = target;
      }
      if (value && (isMap(value) || isSeq(value)) && lastPair.get(key) === pair)
        indexOffsets(value, (data as Record<string, unknown>)[key], ctx);
    }
    // Merged or list-filled containers can be shared; the first index wins.
    if (!OFFSETS.has(data)) OFFSETS.set(data, rec);
  } else if (isSeq(node) && Array.isArray(data)) {
    const offsets: number[] = [];
    node.items.forEach((item, i) => {
      const n = item as Node | null;
      if (n?.range) offsets[i] = n.range[0];
      if (n && (isMap(n) || isSeq(n))) indexOffsets(n, data[i], ctx);
    });
    if (!OFFSETS.has(data)) OFFSETS.set(data, offsets);
  }
}

/** Walk to the deepest existing node along `path` (so a missing leaf still points at its parent). */
export function nodeAt(root: Node, path: YamlPath): Node | undefined {
  let cur: Node | undefined = root;
  for (const key of path) {
    if (isMap(cur)) {
      const pair = cur.items.find((p) => {
        const k = p.key as { value?: unknown } | null;
        return k !== null && typeof k === 'object' && k.value === key;
      });
      if (!pair) return cur;
      const keyNode = pair.key as Node;
      const value = pair.value as Node | null;
      // Scalars point at their value; collections at their key line, which reads better.
      cur = value && (isMap(value) || isSeq(value)) ? keyNode : (value ?? keyNode);
      if (value && (isMap(value) || isSeq(value))) cur = value;
    } else if (isSeq(cur) && typeof key === 'number') {
      const item = cur.items[key] as Node | undefined;
      if (!item) return cur;
      cur = item;
    } else {
      return cur;
    }
  }
  return cur;
}

/**
 * A locator for YAML text embedded in another file (e.g. a Helm `values: |` block scalar whose
 * content starts at `firstLine`): parses `text` and maps a path inside it to the outer file's line.
 * Returns undefined when the text is not one YAML mapping.
 */
export function embeddedYaml(
  text: string,
  file: string,
  firstLine: number,
): { data: Record<string, unknown>; locate(path: YamlPath): SourceLocation | undefined } | undefined {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, ...PARSE_OPTIONS });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const root = doc.contents;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  return {
    data: data as Record<string, unknown>,
    locate: (path) => {
      const n = nodeAt(root, path);
      if (!n?.range) return undefined;
      return { file, line: firstLine + lineCounter.linePos(n.range[0]).line - 1 };
    },
  };
}
