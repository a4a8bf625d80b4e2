/**
 * longhorn/longhorn chart: the default StorageClass `longhorn` (provisioner driver.longhorn.io),
 * default class unless `persistence.defaultClass: false`; `persistence.nfsOptions` becomes
 * `parameters.nfsOptions`, which replaces Longhorn's soft default entirely for RWX volumes.
 */
import type { ChartDeriver } from './chart.ts';
import { isRecord, prefixMapper } from './chart.ts';

export const longhorn: ChartDeriver = {
  id: 'longhorn',
  matches: (chart) => chart === 'longhorn' || chart.endsWith('/longhorn'),
  derive(src) {
    const p = isRecord(src.values.persistence) ? src.values.persistence : {};
    const isDefault = p.defaultClass !== false && p.defaultClass !== 'false';
    const parameters: Record<string, unknown> = {
      numberOfReplicas: String(p.defaultClassReplicaCount ?? 3),
    };
    if (typeof p.nfsOptions === 'string' && p.nfsOptions.trim() !== '') parameters.nfsOptions = p.nfsOptions;
    return [
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        name: 'longhorn',
        namespace: undefined,
        at: ['persistence'],
        body: {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: {
            name: 'longhorn',
            annotations: { 'storageclass.kubernetes.io/is-default-class': String(isDefault) },
          },
          provisioner: 'driver.longhorn.io',
          parameters,
          reclaimPolicy: p.reclaimPolicy ?? 'Delete',
        },
        valuesPath: prefixMapper(
          ['persistence'],
          [
            { from: ['parameters', 'nfsOptions'], to: ['persistence', 'nfsOptions'] },
            { from: ['metadata', 'annotations'], to: ['persistence', 'defaultClass'] },
          ],
        ),
      },
    ];
  },
};
