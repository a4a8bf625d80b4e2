/**
 * bjw-s `app-template` (and the k8s-at-home / TrueCharts `common` library it grew from): a
 * `persistence:` MAP OF NAMED VOLUMES, not one Bitnami-style block. Each controller becomes the
 * workload the chart renders, with the pod volumes those entries produce, so inline NFS volumes
 * become mount sites owned by that workload, and claims resolve like any other.
 *
 * Value schema by major version (bjw-s-labs/helm-charts charts/other/app-template, library/common):
 * - v1 (and k8s-at-home common): `controller.type`, `persistence.<n>.enabled`, `type: pvc|nfs|emptyDir|
 *   configMap|secret|hostPath|custom`, `mountPath`, `existingClaim`, `storageClass`, `size`.
 * - v2–v4: `controllers.<c>.type: deployment|statefulset|daemonset|cronjob|job`, `persistence.<n>.type:
 *   persistentVolumeClaim|nfs|emptyDir|…|custom` (`existingClaim` implies a claim), `globalMounts`
 *   (every controller) or `advancedMounts.<controller>.<container>` (only those), `volumeSpec` for custom;
 *   `controllers.<c>.statefulset.volumeClaimTemplates[]`.
 * Entries are enabled unless `enabled: false`. A claim without `existingClaim` is created by the chart
 * as `<release>-<name>` (`storageClass` unset → the default class).
 */
import type { YamlPath } from '../../../model.ts';
import type { ValuesSource } from '../wrappers.ts';
import { type ChartDeriver, type DerivedObject, isRecord } from './chart.ts';

const WORKLOAD_KINDS: Readonly<Record<string, string>> = {
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  cronjob: 'CronJob',
  job: 'Job',
};
/** Keys that only a Bitnami-style single `persistence` block has as scalars. */
const SINGLE_BLOCK_KEYS = [
  'enabled',
  'size',
  'storageClass',
  'storageClassName',
  'existingClaim',
  'accessMode',
  'mountPath',
];

export function isAppTemplateChart(chart: string): boolean {
  const name = chart.split('/').pop() ?? chart;
  return name === 'app-template' || name === 'common' || name === 'app-template-chart';
}

/**
 * Is `persistence` a map of named volumes (app-template/common) rather than one chart-level block?
 * The chart name decides when known; otherwise the shape: a single block has scalar settings
 * (`enabled`, `size`, `storageClass`…), a volume map has only records.
 */
export function isVolumeMap(chart: string, values: Record<string, unknown>): boolean {
  const p = values.persistence;
  if (!isRecord(p)) return false;
  if (isAppTemplateChart(chart)) return true;
  if (SINGLE_BLOCK_KEYS.some((k) => k in p && !isRecord(p[k]))) return false;
  const entries = Object.values(p);
  if (entries.length === 0 || !entries.every(isRecord)) return false;
  return (
    isRecord(values.controllers) ||
    isRecord(values.controller) ||
    entries.some((e) => 'type' in e || 'globalMounts' in e || 'advancedMounts' in e || 'mountPath' in e)
  );
}

interface Controller {
  key: string;
  kind: string;
  name: string;
  /** Values path of the controller (for locations). */
  at: YamlPath;
  claimTemplates: { name: string; body: Record<string, unknown>; at: YamlPath }[];
}

export const appTemplate: ChartDeriver = {
  id: 'app-template',
  matches: () => true,
  derive(src) {
    if (!isVolumeMap(src.chart, src.values)) return [];
    const persistence = src.values.persistence as Record<string, unknown>;
    const controllers = controllersOf(src);
    const out: DerivedObject[] = [];
    // Volumes per controller, with the values path each one came from.
    const volumes = new Map<string, { volume: Record<string, unknown>; at: YamlPath; map: PathMap }[]>();
    for (const c of controllers) volumes.set(c.key, []);
    for (const [key, entry] of Object.entries(persistence)) {
      if (!isRecord(entry) || entry.enabled === false || entry.enabled === 'false') continue;
      const at: YamlPath = ['persistence', key];
      const made = volumeOf(key, entry, at, src);
      if (made === undefined) continue;
      if (made.claim) out.push(made.claim);
      for (const c of controllers)
        if (mountedBy(entry, c.key, controllers.length)) volumes.get(c.key)!.push(made);
    }
    for (const c of controllers) {
      const vols = volumes.get(c.key)!;
      if (vols.length === 0 && c.claimTemplates.length === 0) continue;
      out.push(workload(c, vols, src));
    }
    return out;
  },
};

type PathMap = (rest: YamlPath) => YamlPath;

function controllersOf(src: ValuesSource): Controller[] {
  const multi = src.values.controllers;
  if (isRecord(multi)) {
    const enabled = Object.entries(multi).filter(
      ([, c]) => isRecord(c) && c.enabled !== false && c.enabled !== 'false',
    );
    return enabled.map(([key, c]) => {
      const rec = c as Record<string, unknown>;
      const type = typeof rec.type === 'string' ? rec.type.toLowerCase() : 'deployment';
      const name = enabled.length === 1 || key === src.release ? src.release : `${src.release}-${key}`;
      const at: YamlPath = ['controllers', key];
      const vct = isRecord(rec.statefulset) ? rec.statefulset.volumeClaimTemplates : undefined;
      const claimTemplates = Array.isArray(vct)
        ? vct.flatMap((t, i) =>
            isRecord(t) && typeof t.name === 'string'
              ? [
                  {
                    name: t.name,
                    body: claimBody(t.name, t),
                    at: [...at, 'statefulset', 'volumeClaimTemplates', i],
                  },
                ]
              : [],
          )
        : [];
      return { key, kind: WORKLOAD_KINDS[type] ?? 'Deployment', name, at, claimTemplates };
    });
  }
  const single = isRecord(src.values.controller) ? src.values.controller : {};
  const type = typeof single.type === 'string' ? single.type.toLowerCase() : 'deployment';
  return [
    {
      key: 'main',
      kind: WORKLOAD_KINDS[type] ?? 'Deployment',
      name: src.release,
      at: isRecord(src.values.controller) ? ['controller'] : ['persistence'],
      claimTemplates: [],
    },
  ];
}

/** globalMounts (or no mount lists: the chart's default) → every controller; advancedMounts → by key. */
function mountedBy(entry: Record<string, unknown>, controller: string, count: number): boolean {
  if (Array.isArray(entry.globalMounts) || !isRecord(entry.advancedMounts)) return true;
  // One controller: its key in advancedMounts is usually the release name; do not miss it.
  return controller in entry.advancedMounts || (count === 1 && Object.keys(entry.advancedMounts).length > 0);
}

function volumeOf(
  key: string,
  entry: Record<string, unknown>,
  at: YamlPath,
  src: ValuesSource,
): { volume: Record<string, unknown>; at: YamlPath; map: PathMap; claim?: DerivedObject } | undefined {
  const type = typeof entry.type === 'string' ? entry.type : undefined;
  const existing =
    typeof entry.existingClaim === 'string' && entry.existingClaim !== '' ? entry.existingClaim : undefined;
  if (type === 'nfs') {
    const nfs: Record<string, unknown> = { server: entry.server, path: entry.path };
    if (entry.readOnly !== undefined) nfs.readOnly = entry.readOnly;
    return {
      volume: { name: key, nfs },
      at,
      map: (rest) => (rest[0] === 'nfs' ? [...at, ...rest.slice(1)] : at),
    };
  }
  if (type === 'custom' && isRecord(entry.volumeSpec)) {
    return {
      volume: { name: key, ...entry.volumeSpec },
      at,
      map: (rest) => (rest.length > 0 ? [...at, 'volumeSpec', ...rest] : at),
    };
  }
  const isClaim = type === undefined || type === 'pvc' || type === 'persistentVolumeClaim';
  if (!isClaim) return undefined; // emptyDir, configMap, secret, hostPath, image…
  // v1/common default the type to pvc; an untyped entry with neither claim nor size is not a claim.
  if (type === undefined && existing === undefined && !('storageClass' in entry) && !('size' in entry))
    return undefined;
  const claimName = existing ?? `${src.release}-${key}`;
  const volume = { name: key, persistentVolumeClaim: { claimName } };
  const map: PathMap = () => (existing ? [...at, 'existingClaim'] : at);
  if (existing) return { volume, at, map };
  const body = claimBody(claimName, entry, src.namespace);
  const scKey = 'storageClass' in entry ? 'storageClass' : 'storageClassName';
  return {
    volume,
    at,
    map,
    claim: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      name: claimName,
      namespace: src.namespace,
      at,
      body,
      valuesPath: (p) => (p[0] === 'spec' && p[1] === 'storageClassName' ? [...at, scKey] : at),
    },
  };
}

function claimBody(name: string, v: Record<string, unknown>, namespace?: string): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    accessModes: [typeof v.accessMode === 'string' ? v.accessMode : 'ReadWriteOnce'],
    resources: { requests: { storage: typeof v.size === 'string' ? v.size : '1Gi' } },
  };
  const sc = typeof v.storageClass === 'string' ? v.storageClass : v.storageClassName;
  if (typeof sc === 'string') spec.storageClassName = sc === '-' ? '' : sc;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec,
  };
}

function workload(
  c: Controller,
  vols: { volume: Record<string, unknown>; at: YamlPath; map: PathMap }[],
  src: ValuesSource,
): DerivedObject {
  const podSpec = { containers: [{ name: 'app' }], volumes: vols.map((v) => v.volume) };
  const template = { spec: podSpec };
  const specPath: YamlPath =
    c.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
  const spec: Record<string, unknown> =
    c.kind === 'CronJob' ? { jobTemplate: { spec: { template } } } : { template };
  if (c.kind === 'StatefulSet' && c.claimTemplates.length > 0)
    spec.volumeClaimTemplates = c.claimTemplates.map((t) => t.body);
  return {
    apiVersion: c.kind === 'CronJob' || c.kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind: c.kind,
    name: c.name,
    namespace: src.namespace,
    at: c.at,
    body: {
      apiVersion: c.kind === 'CronJob' || c.kind === 'Job' ? 'batch/v1' : 'apps/v1',
      kind: c.kind,
      metadata: { name: c.name, ...(src.namespace ? { namespace: src.namespace } : {}) },
      spec,
    },
    valuesPath: (p) => {
      const isVol = specPath.every((k, i) => p[i] === k) && p[specPath.length] === 'volumes';
      if (isVol) {
        const i = p[specPath.length + 1];
        const v = typeof i === 'number' ? vols[i] : undefined;
        if (v) return v.map(p.slice(specPath.length + 2));
      }
      if (p[0] === 'spec' && p[1] === 'volumeClaimTemplates' && typeof p[2] === 'number') {
        const t = c.claimTemplates[p[2]];
        if (t) return t.at;
      }
      return c.at;
    },
  };
}
