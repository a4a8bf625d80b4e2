/**
 * Generic Helm `persistence` blocks (Bitnami style and most app charts: `persistence.enabled`,
 * `persistence.storageClass`), at the top level or one level down (`server.persistence`,
 * `loki.persistence`...). Each enabled block becomes the PVC the chart would create. With no
 * `storageClass` it has no storageClassName, so it lands on the cluster's default StorageClass.
 * `storageClass: "-"` is the Helm convention for `storageClassName: ""` (no dynamic provisioning).
 */
import type { YamlPath } from '../../../model.ts';
import { isVolumeMap } from './app-template.ts';
import type { ChartDeriver, DerivedObject } from './chart.ts';
import { isRecord, prefixMapper } from './chart.ts';

export const persistence: ChartDeriver = {
  id: 'persistence',
  matches: () => true,
  derive(src) {
    const out: DerivedObject[] = [];
    const blocks: { at: YamlPath; v: Record<string, unknown> }[] = [];
    // app-template's `persistence` is a map of named volumes: charts/app-template.ts reads it.
    if (isRecord(src.values.persistence) && !isVolumeMap(src.chart, src.values))
      blocks.push({ at: ['persistence'], v: src.values.persistence });
    for (const [k, sub] of Object.entries(src.values)) {
      if (isRecord(sub) && isRecord(sub.persistence))
        blocks.push({ at: [k, 'persistence'], v: sub.persistence });
    }
    for (const { at, v } of blocks) {
      if (v.enabled === false || v.enabled === 'false') continue;
      if (typeof v.existingClaim === 'string' && v.existingClaim !== '') continue;
      const sc =
        typeof v.storageClass === 'string'
          ? v.storageClass
          : typeof v.storageClassName === 'string'
            ? v.storageClassName
            : undefined;
      // Longhorn's own `persistence` block configures its StorageClass, not a claim.
      if (src.chart === 'longhorn' || src.chart.endsWith('/longhorn')) continue;
      const component = at.length > 1 ? `-${String(at[0])}` : '';
      const name = `${src.release}${component}`;
      const spec: Record<string, unknown> = {
        accessModes: Array.isArray(v.accessModes)
          ? v.accessModes
          : [typeof v.accessMode === 'string' ? v.accessMode : 'ReadWriteOnce'],
        resources: { requests: { storage: typeof v.size === 'string' ? v.size : '8Gi' } },
      };
      if (sc !== undefined) spec.storageClassName = sc === '-' ? '' : sc;
      const scKey = typeof v.storageClass === 'string' ? 'storageClass' : 'storageClassName';
      out.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name,
        namespace: src.namespace,
        at,
        body: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name,
            ...(src.namespace ? { namespace: src.namespace } : {}),
            labels: { 'app.kubernetes.io/name': src.chart, 'app.kubernetes.io/instance': src.release },
          },
          spec,
        },
        valuesPath: prefixMapper(at, [
          { from: ['spec', 'storageClassName'], to: [...at, scKey] },
          { from: ['spec', 'resources'], to: [...at, 'size'] },
        ]),
      });
    }
    return out;
  },
};
