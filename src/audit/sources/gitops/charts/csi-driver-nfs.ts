/**
 * kubernetes-csi/csi-driver-nfs chart: `storageClass` (create, name, annotations, parameters,
 * mountOptions, reclaimPolicy, volumeBindingMode) and the list form `storageClasses[]`.
 * Chart default name `nfs-csi`, provisioner `nfs.csi.k8s.io`.
 */
import type { YamlPath } from '../../../model.ts';
import { type ChartDeriver, type DerivedObject, isRecord, prefixMapper } from './chart.ts';

export const csiDriverNfs: ChartDeriver = {
  id: 'csi-driver-nfs',
  matches: (chart) => chart === 'csi-driver-nfs' || chart.endsWith('/csi-driver-nfs'),
  derive(src) {
    const out: DerivedObject[] = [];
    const single = src.values.storageClass;
    // The chart renders `storageClass` only with create: true; a block with parameters but no
    // `create` is kept too, since people often rely on an overlay that sets it.
    if (isRecord(single) && single.create !== false) out.push(storageClass(single, ['storageClass']));
    const list = src.values.storageClasses;
    if (Array.isArray(list))
      list.forEach((sc, i) => {
        if (isRecord(sc)) out.push(storageClass(sc, ['storageClasses', i]));
      });
    return out;
  },
};

function storageClass(v: Record<string, unknown>, at: YamlPath): DerivedObject {
  const name = typeof v.name === 'string' ? v.name : 'nfs-csi';
  const body: Record<string, unknown> = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, ...(isRecord(v.annotations) ? { annotations: v.annotations } : {}) },
    provisioner: typeof v.provisioner === 'string' ? v.provisioner : 'nfs.csi.k8s.io',
    parameters: isRecord(v.parameters) ? v.parameters : {},
    reclaimPolicy: v.reclaimPolicy ?? 'Delete',
    volumeBindingMode: v.volumeBindingMode ?? 'Immediate',
  };
  if (Array.isArray(v.mountOptions)) body.mountOptions = v.mountOptions;
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    name,
    namespace: undefined,
    body,
    at,
    valuesPath: prefixMapper(at, [
      { from: ['metadata', 'annotations'], to: [...at, 'annotations'] },
      { from: ['metadata', 'name'], to: [...at, 'name'] },
      { from: ['mountOptions'], to: [...at, 'mountOptions'] },
      { from: ['parameters'], to: [...at, 'parameters'] },
      { from: ['provisioner'], to: [...at, 'provisioner'] },
    ]),
  };
}
