/**
 * Helm values held by GitOps wrappers → the objects the chart would render (StorageClasses, PVCs,
 * the Cilium ConfigMap), marked `derivedFrom` and located at the values' own file lines.
 * Charts are identified by name; one module per chart in charts/, registered here.
 */
import type { InputProblem } from '../../../core/errors.ts';
import type { K8sObject } from '../../model.ts';
import { appTemplate } from './charts/app-template.ts';
import type { ChartDeriver } from './charts/chart.ts';
import { cilium } from './charts/cilium.ts';
import { coredns } from './charts/coredns.ts';
import { csiDriverNfs } from './charts/csi-driver-nfs.ts';
import { longhorn } from './charts/longhorn.ts';
import { nfsSubdir } from './charts/nfs-subdir.ts';
import { persistence } from './charts/persistence.ts';
import { type ValuesSource, valuesSources } from './wrappers.ts';

/** Chart-specific derivers first; `appTemplate` and `persistence` apply to every chart (by shape). */
export const CHART_DERIVERS: readonly ChartDeriver[] = [
  csiDriverNfs,
  nfsSubdir,
  longhorn,
  cilium,
  coredns,
  appTemplate,
  persistence,
];

/** `text` is the wrappers' file content (for block-scalar line offsets); omit it for cluster objects. */
export function expandWrappers(
  objects: readonly K8sObject[],
  text: string | undefined,
  errors: InputProblem[],
): K8sObject[] {
  const out: K8sObject[] = [];
  let lines: string[] | undefined;
  for (const o of objects) {
    if (o.kind !== 'Application' && o.kind !== 'HelmRelease' && o.kind !== 'HelmChart') continue;
    lines ??= text === undefined ? [] : text.split('\n');
    for (const src of valuesSources(o, lines, errors)) for (const d of deriveFrom(src)) out.push(d);
  }
  return out;
}

/** The objects every matching chart deriver makes of one values source. */
export function deriveFrom(src: ValuesSource): K8sObject[] {
  const out: K8sObject[] = [];
  for (const d of CHART_DERIVERS) {
    if (!d.matches(src.chart)) continue;
    for (const obj of d.derive(src)) {
      out.push({
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.name,
        namespace: obj.namespace,
        body: obj.body,
        location: src.locate(obj.at),
        locate: (p) => src.locate(obj.valuesPath(p)),
        derivedFrom: `${src.label} (chart ${src.chart}, ${d.id} values)`,
      });
    }
  }
  return out;
}
