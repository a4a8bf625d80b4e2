/**
 * Values that live elsewhere: Flux `HelmRelease.spec.valuesFrom` (fluxcd.io HelmRelease docs, "values
 * overrides") naming a ConfigMap in the repository — a plain one (`data.<valuesKey>`, default
 * `values.yaml`) or one a kustomize `configMapGenerator` makes from a file (`files: [values.yaml=./x]`).
 * Runs after every file is read (the ConfigMap is usually in another file). The values are merged as
 * Flux does (valuesFrom in order, then `spec.values` on top) and replace what was derived from
 * `spec.values` alone; each path is located in the file that supplied it. A Secret's values are not in
 * the repository in plain text: reported as unknown, never guessed.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { InputProblem } from '../../../core/errors.ts';
import type { SourceLocation } from '../../../core/location.ts';
import { getArray, getRecord, getString, type K8sObject, type YamlPath } from '../../model.ts';
import { embeddedYaml } from '../yaml.ts';
import { isRecord } from './charts/chart.ts';
import { deriveFrom } from './index.ts';
import { valuesSources } from './wrappers.ts';

interface Layer {
  values: Record<string, unknown>;
  locate(path: YamlPath): SourceLocation | undefined;
  label: string;
}

/** Objects derived from HelmReleases whose valuesFrom could be resolved; `objects` is edited in place. */
export function expandValuesFrom(
  objects: K8sObject[],
  errors: InputProblem[],
  warnings: InputProblem[],
): void {
  const releases = objects.filter(
    (o) =>
      o.kind === 'HelmRelease' &&
      o.apiVersion.split('/')[0]?.endsWith('toolkit.fluxcd.io') &&
      getArray(o.body, ['spec', 'valuesFrom']).length > 0,
  );
  if (releases.length === 0) return;
  const configMaps = objects.filter((o) => o.kind === 'ConfigMap' && o.derivedFrom === undefined);
  const generators = objects.filter(
    (o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.config.k8s.io/'),
  );
  const replaced = new Set<string>();
  const added: K8sObject[] = [];
  for (const hr of releases) {
    const layers: Layer[] = [];
    for (const ref of getArray(hr.body, ['spec', 'valuesFrom'])) {
      const kind = getString(ref, ['kind']);
      const name = getString(ref, ['name']);
      const key = getString(ref, ['valuesKey']) ?? 'values.yaml';
      if (!name || getString(ref, ['targetPath'])) continue;
      if (kind === 'Secret') {
        warnings.push({
          file: hr.location.file,
          line: hr.locate(['spec', 'valuesFrom']).line ?? hr.location.line ?? 1,
          message: `HelmRelease ${hr.name}: values from Secret ${name} are not in the repository in plain text; what they set is unknown to the audit`,
        });
        continue;
      }
      if (kind !== 'ConfigMap') continue;
      const layer =
        fromGenerator(hr, name, key, generators, errors) ?? fromConfigMap(hr, name, key, configMaps);
      if (layer) layers.push(layer);
    }
    if (layers.length === 0) continue;
    const inline = valuesSources(hr, [], []).find((s) => s.label.endsWith('spec.values'));
    const base = inline ?? valuesSources(withValues(hr), [], [])[0];
    if (!base) continue;
    const all: Layer[] = [
      ...layers,
      ...(inline ? [{ values: inline.values, locate: inline.locate, label: inline.label }] : []),
    ];
    const merged = all.reduce<Record<string, unknown>>((acc, l) => deepMerge(acc, l.values), {});
    replaced.add(`${describe(hr)} spec.values`);
    for (const o of deriveFrom({
      ...base,
      values: merged,
      // A scalar comes from the last layer that sets it (Flux: later over earlier, spec.values last);
      // a map or list from the first one that defines it (later layers only override inside it).
      locate: (p) => {
        const holders = all.filter((l) => has(l.values, p));
        const scalar = holders.some((l) => !isCollection(getAt(l.values, p)));
        const layer = scalar ? holders[holders.length - 1] : holders[0];
        return layer?.locate(p) ?? hr.location;
      },
      label: `${describe(hr)} valuesFrom (${layers.map((l) => l.label).join(', ')})`,
    }))
      added.push(o);
  }
  // Replace what spec.values alone produced for those releases.
  for (let i = objects.length - 1; i >= 0; i--) {
    const d = objects[i]!.derivedFrom;
    if (d !== undefined && [...replaced].some((r) => d.startsWith(r))) objects.splice(i, 1);
  }
  for (const o of added) objects.push(o);
}

/**
 * Argo CD `helm.valueFiles`: a path relative to the source's `path` (a chart kept in the repository), or
 * `$<ref>/path` naming another source of a multi-source Application (`ref: <ref>`, the repository
 * itself). The repository root is not known from a file, so each ancestor directory of the Application's
 * file is tried. Argo applies valueFiles in order, then `values`/`valuesObject` on top.
 */
export function expandArgoValueFiles(objects: K8sObject[], errors: InputProblem[]): void {
  const apps = objects.filter((o) => o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/'));
  const replaced = new Set<string>();
  const added: K8sObject[] = [];
  for (const app of apps) {
    const single = getRecord(app.body, ['spec', 'source']);
    const multi = getArray(app.body, ['spec', 'sources']).filter(isRecord);
    const sources: { src: Record<string, unknown>; at: string }[] = single
      ? [{ src: single, at: 'spec.source' }]
      : multi.map((src, i) => ({ src, at: `spec.sources.${i}` }));
    const refs = new Map<string, Record<string, unknown>>();
    for (const src of multi) if (typeof src.ref === 'string') refs.set(src.ref, src);
    for (const { src, at } of sources) {
      const files = getArray(src, ['helm', 'valueFiles']).filter((f): f is string => typeof f === 'string');
      if (files.length === 0) continue;
      const layers: Layer[] = [];
      for (const f of files) {
        const m = /^\$([^/]+)\/(.*)$/.exec(f);
        const rel = m
          ? join(getString(refs.get(m[1]!), ['path']) ?? '', m[2]!)
          : join(getString(src, ['path']) ?? '', f);
        const path = findUp(app.location.file, rel);
        if (!path) continue; // a values file in another repository: not ours to read
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (err) {
          errors.push({ file: app.location.file, message: `valueFiles ${f}: ${(err as Error).message}` });
          continue;
        }
        const parsed = embeddedYaml(text, path, 1);
        if (parsed) layers.push({ values: parsed.data, locate: parsed.locate, label: path });
      }
      if (layers.length === 0) continue;
      const inline = valuesSources(app, [], []).filter((v) => v.label.includes(`${at}.helm.`));
      const base =
        inline[0] ??
        valuesSources({ ...app, body: withHelmValues(app.body, src) }, [], []).find((v) =>
          v.label.includes(at),
        );
      if (!base) continue;
      const all: Layer[] = [
        ...layers,
        ...inline.map((v) => ({ values: v.values, locate: v.locate, label: v.label })),
      ];
      replaced.add(`${describe(app)} ${at}.helm.`);
      for (const o of deriveFrom(merged(base, all, app, `${describe(app)} ${at}.helm.valueFiles`)))
        added.push(o);
    }
  }
  replace(objects, replaced, added);
}

/** `rel` under the nearest ancestor of `file` that has it. */
function findUp(file: string, rel: string): string | undefined {
  let dir = dirname(resolve(file));
  for (let i = 0; i < 12; i++) {
    const candidate = join(dir, rel);
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return relativeTo(file, candidate);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Report paths in the same form as the Application's own (relative stays relative). */
function relativeTo(file: string, abs: string): string {
  if (file.startsWith('/')) return abs;
  const rel = abs.startsWith(`${process.cwd()}/`) ? abs.slice(process.cwd().length + 1) : abs;
  return rel;
}

function withHelmValues(
  body: Record<string, unknown>,
  src: Record<string, unknown>,
): Record<string, unknown> {
  const helm = isRecord(src.helm) ? src.helm : {};
  const patched = { ...src, helm: { ...helm, valuesObject: {} } };
  const spec = getRecord(body, ['spec']) ?? {};
  if (spec.source === src) return { ...body, spec: { ...spec, source: patched } };
  const sources = getArray(body, ['spec', 'sources']).map((x) => (x === src ? patched : x));
  return { ...body, spec: { ...spec, sources } };
}

function merged(
  base: ReturnType<typeof valuesSources>[number],
  all: Layer[],
  owner: K8sObject,
  label: string,
): ReturnType<typeof valuesSources>[number] {
  return {
    ...base,
    values: all.reduce<Record<string, unknown>>((acc, l) => deepMerge(acc, l.values), {}),
    // A scalar comes from the last layer that sets it; a map or list from the first that defines it.
    locate: (p) => {
      const holders = all.filter((l) => has(l.values, p));
      const scalar = holders.some((l) => !isCollection(getAt(l.values, p)));
      const layer = scalar ? holders[holders.length - 1] : holders[0];
      return layer?.locate(p) ?? owner.location;
    },
    label,
  };
}

function replace(objects: K8sObject[], replaced: Set<string>, added: K8sObject[]): void {
  if (replaced.size === 0) return;
  for (let i = objects.length - 1; i >= 0; i--) {
    const d = objects[i]!.derivedFrom;
    if (d !== undefined && [...replaced].some((r) => d.startsWith(r))) objects.splice(i, 1);
  }
  for (const o of added) objects.push(o);
}

function fromGenerator(
  hr: K8sObject,
  name: string,
  key: string,
  generators: readonly K8sObject[],
  errors: InputProblem[],
): Layer | undefined {
  // Prefer the kustomization nearest the HelmRelease (same directory, then ancestors).
  const hrDir = dirname(resolve(hr.location.file));
  const candidates = generators
    .map((k) => ({ k, dir: dirname(resolve(k.location.file)) }))
    .filter(({ dir }) => hrDir === dir || hrDir.startsWith(`${dir}/`))
    .sort((a, b) => b.dir.length - a.dir.length);
  for (const { k } of candidates) {
    for (const g of getArray(k.body, ['configMapGenerator'])) {
      if (getString(g, ['name']) !== name) continue;
      for (const f of getArray(g, ['files'])) {
        if (typeof f !== 'string') continue;
        const eq = f.indexOf('=');
        const fileKey = eq === -1 ? f.slice(f.lastIndexOf('/') + 1) : f.slice(0, eq);
        if (fileKey !== key) continue;
        const rel = eq === -1 ? f : f.slice(eq + 1);
        const path = join(dirname(k.location.file), rel);
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (err) {
          errors.push({
            file: k.location.file,
            message: `configMapGenerator ${name}: ${path}: ${(err as Error).message}`,
          });
          return undefined;
        }
        const parsed = embeddedYaml(text, path, 1);
        if (!parsed) return undefined;
        return { values: parsed.data, locate: parsed.locate, label: `ConfigMap ${name} from ${path}` };
      }
    }
  }
  return undefined;
}

function fromConfigMap(
  hr: K8sObject,
  name: string,
  key: string,
  configMaps: readonly K8sObject[],
): Layer | undefined {
  const ns = hr.namespace;
  const cm =
    configMaps.find(
      (c) => c.name === name && (ns === undefined || c.namespace === undefined || c.namespace === ns),
    ) ?? undefined;
  const text = cm ? getString(cm.body, ['data', key]) : undefined;
  if (!cm || text === undefined) return undefined;
  const keyLine = cm.locate(['data', key]).line;
  // `values.yaml: |` block: content starts on the next line.
  const parsed = embeddedYaml(text, cm.location.file, (keyLine ?? 0) + 1);
  if (!parsed) return undefined;
  return { values: parsed.data, locate: parsed.locate, label: `ConfigMap ${name}` };
}

/** A HelmRelease without spec.values still names its chart: give valuesSources an empty map. */
function withValues(hr: K8sObject): K8sObject {
  const spec = getRecord(hr.body, ['spec']) ?? {};
  return { ...hr, body: { ...hr.body, spec: { ...spec, values: {} } } };
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isRecord(v) && isRecord(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}

function getAt(values: unknown, path: YamlPath): unknown {
  let cur: unknown = values;
  for (const k of path) cur = (cur as Record<string | number, unknown> | undefined)?.[k];
  return cur;
}

function isCollection(v: unknown): boolean {
  return v !== null && typeof v === 'object';
}

function has(values: unknown, path: YamlPath): boolean {
  let cur: unknown = values;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return false;
    if (!(k in (cur as object))) return false;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return true;
}

function describe(o: K8sObject): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}
