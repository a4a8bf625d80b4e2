/**
 * kubernetes-sigs/nfs-subdir-external-provisioner chart (and the older nfs-client-provisioner):
 * `nfs.server`/`nfs.path`/`nfs.mountOptions` and `storageClass.{create,name,defaultClass,
 * provisionerName,reclaimPolicy}`. The chart renders a StorageClass whose `mountOptions` are
 * `nfs.mountOptions` (empty: kernel defaults, hard) and a PersistentVolume for the provisioner's own
 * root mount with the same options. Class name defaults to `nfs-client`, provisioner to
 * `cluster.local/<release>`; default class only with `storageClass.defaultClass: true`.
 */
import type { YamlPath } from '../../../model.ts';
import { type ChartDeriver, type DerivedObject, isRecord, prefixMapper } from './chart.ts';

export function isNfsSubdirChart(chart: string): boolean {
  const name = chart.split('/').pop() ?? chart;
  return name === 'nfs-subdir-external-provisioner' || name === 'nfs-client-provisioner';
}

export const nfsSubdir: ChartDeriver = {
  id: 'nfs-subdir-external-provisioner',
  matches: isNfsSubdirChart,
  derive(src) {
    const nfs = isRecord(src.values.nfs) ? src.values.nfs : {};
    const sc = isRecord(src.values.storageClass) ? src.values.storageClass : {};
    const out: DerivedObject[] = [];
    const mountOptions = Array.isArray(nfs.mountOptions) ? nfs.mountOptions : undefined;
    const moMap = { from: ['mountOptions'] as YamlPath, to: ['nfs', 'mountOptions'] as YamlPath };
    if (sc.create !== false) {
      const name = typeof sc.name === 'string' ? sc.name : 'nfs-client';
      const isDefault = sc.defaultClass === true || sc.defaultClass === 'true';
      out.push({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        name,
        namespace: undefined,
        at: ['storageClass'],
        body: {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: {
            name,
            annotations: { 'storageclass.kubernetes.io/is-default-class': String(isDefault) },
          },
          provisioner:
            typeof sc.provisionerName === 'string' ? sc.provisionerName : `cluster.local/${src.release}`,
          parameters: { archiveOnDelete: String(sc.archiveOnDelete ?? true) },
          reclaimPolicy: sc.reclaimPolicy ?? 'Delete',
          ...(mountOptions ? { mountOptions } : {}),
        },
        valuesPath: prefixMapper(
          ['storageClass'],
          [moMap, { from: ['metadata', 'annotations'], to: ['storageClass', 'defaultClass'] }],
        ),
      });
    }
    if (typeof nfs.server === 'string' && typeof nfs.path === 'string') {
      const name = typeof nfs.volumeName === 'string' ? nfs.volumeName : `pv-${src.release}`;
      out.push({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        name,
        namespace: undefined,
        at: ['nfs'],
        body: {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name },
          spec: {
            nfs: { server: nfs.server, path: nfs.path },
            ...(mountOptions ? { mountOptions } : {}),
            storageClassName: '',
          },
        },
        valuesPath: prefixMapper(
          ['nfs'],
          [
            { from: ['spec', 'mountOptions'], to: ['nfs', 'mountOptions'] },
            { from: ['spec', 'nfs'], to: ['nfs'] },
          ],
        ),
      });
    }
    return out;
  },
};
