/**
 * GitOps wrappers that carry Helm values inline: Argo CD `Application` (spec.source(s).helm.values
 * string / valuesObject), Flux `HelmRelease` (spec.values) and k3s/RKE2 `HelmChart`
 * (spec.valuesContent). Each yields one ValuesSource whose `locate` maps a path inside the values
 * to the line in the wrapper's file — inside a `values: |` block scalar too.
 */
import type { InputProblem } from '../../../core/errors.ts';
import type { SourceLocation } from '../../../core/location.ts';
import { getRecord, getString, type K8sObject, type YamlPath } from '../../model.ts';
import { embeddedYaml } from '../yaml.ts';

export interface ValuesSource {
  wrapper: K8sObject;
  /** Chart name as the wrapper names it, e.g. "csi-driver-nfs", "longhorn", "cilium". */
  chart: string;
  release: string;
  /** Namespace the chart installs into. */
  namespace: string | undefined;
  values: Record<string, unknown>;
  /** File line of a values path; falls back to the nearest known line. */
  locate(path: YamlPath): SourceLocation;
  /** e.g. "Application argocd/csi-driver-nfs spec.source.helm.values". */
  label: string;
}

export function valuesSources(
  o: K8sObject,
  lines: readonly string[],
  errors: InputProblem[],
): ValuesSource[] {
  const group = o.apiVersion.split('/')[0] ?? '';
  if (o.kind === 'Application' && group === 'argoproj.io') return argoSources(o, lines, errors);
  if (o.kind === 'HelmRelease' && group.endsWith('toolkit.fluxcd.io')) return fluxSources(o, lines, errors);
  if (o.kind === 'HelmChart' && group === 'helm.cattle.io') return k3sSources(o, lines, errors);
  return [];
}

function argoSources(o: K8sObject, lines: readonly string[], errors: InputProblem[]): ValuesSource[] {
  const out: ValuesSource[] = [];
  const namespace = getString(o.body, ['spec', 'destination', 'namespace']);
  const sources: { path: YamlPath; src: Record<string, unknown> }[] = [];
  const single = getRecord(o.body, ['spec', 'source']);
  if (single) sources.push({ path: ['spec', 'source'], src: single });
  const multi = (o.body.spec as { sources?: unknown } | undefined)?.sources;
  if (Array.isArray(multi))
    multi.forEach((s, i) => {
      if (s && typeof s === 'object')
        sources.push({ path: ['spec', 'sources', i], src: s as Record<string, unknown> });
    });
  for (const { path, src } of sources) {
    const chart = getString(src, ['chart']) ?? lastSegment(getString(src, ['path']));
    if (!chart) continue;
    const release = getString(src, ['helm', 'releaseName']) ?? o.name;
    const base = { wrapper: o, chart, release, namespace };
    const valuesObject = getRecord(src, ['helm', 'valuesObject']);
    if (valuesObject) out.push(fromMap(base, valuesObject, [...path, 'helm', 'valuesObject']));
    const valuesText = getString(src, ['helm', 'values']);
    if (valuesText !== undefined) {
      const s = fromText(base, valuesText, [...path, 'helm', 'values'], lines, errors);
      if (s) out.push(s);
    }
  }
  return out;
}

function fluxSources(o: K8sObject, lines: readonly string[], errors: InputProblem[]): ValuesSource[] {
  const chart =
    getString(o.body, ['spec', 'chart', 'spec', 'chart']) ?? getString(o.body, ['spec', 'chartRef', 'name']);
  if (!chart) return [];
  const base = {
    wrapper: o,
    chart,
    release: getString(o.body, ['spec', 'releaseName']) ?? o.name,
    namespace: getString(o.body, ['spec', 'targetNamespace']) ?? o.namespace,
  };
  const values = getRecord(o.body, ['spec', 'values']);
  if (values) return [fromMap(base, values, ['spec', 'values'])];
  const text = getString(o.body, ['spec', 'values']);
  const s = text === undefined ? undefined : fromText(base, text, ['spec', 'values'], lines, errors);
  return s ? [s] : [];
}

function k3sSources(o: K8sObject, lines: readonly string[], errors: InputProblem[]): ValuesSource[] {
  const chart = getString(o.body, ['spec', 'chart']);
  const text = getString(o.body, ['spec', 'valuesContent']);
  if (!chart || text === undefined) return [];
  const base = {
    wrapper: o,
    chart: lastSegment(chart) ?? chart,
    release: o.name,
    namespace: getString(o.body, ['spec', 'targetNamespace']) ?? o.namespace,
  };
  const s = fromText(base, text, ['spec', 'valuesContent'], lines, errors);
  return s ? [s] : [];
}

type Base = Pick<ValuesSource, 'wrapper' | 'chart' | 'release' | 'namespace'>;

function fromMap(base: Base, values: Record<string, unknown>, at: YamlPath): ValuesSource {
  return {
    ...base,
    values,
    locate: (p) => base.wrapper.locate([...at, ...p]),
    label: `${describe(base.wrapper)} ${at.join('.')}`,
  };
}

/**
 * Values kept as a YAML string. In a literal block scalar (`values: |`) each content line is one file
 * line, starting on the line after the indicator; anything else (quoted, folded) maps to the key line.
 */
function fromText(
  base: Base,
  text: string,
  at: YamlPath,
  lines: readonly string[],
  errors: InputProblem[],
): ValuesSource | undefined {
  const keyLoc = base.wrapper.locate(at);
  const indicator = keyLoc.line === undefined ? undefined : lines[keyLoc.line - 1];
  const literal = indicator !== undefined && /:\s*\|[-+0-9]*\s*(#.*)?$/.test(indicator);
  const firstLine = literal && keyLoc.line !== undefined ? keyLoc.line + 1 : (keyLoc.line ?? 1);
  const parsed = embeddedYaml(text, keyLoc.file, firstLine);
  if (!parsed) {
    if (text.trim() !== '')
      errors.push({
        file: keyLoc.file,
        ...(keyLoc.line === undefined ? {} : { line: keyLoc.line }),
        message: `${describe(base.wrapper)}: ${at.join('.')} is not a YAML mapping of Helm values`,
      });
    return undefined;
  }
  return {
    ...base,
    values: parsed.data,
    locate: (p) => (literal ? parsed.locate(p) : undefined) ?? keyLoc,
    label: `${describe(base.wrapper)} ${at.join('.')}`,
  };
}

function describe(o: K8sObject): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

function lastSegment(p: string | undefined): string | undefined {
  if (!p) return undefined;
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  return parts[parts.length - 1];
}
