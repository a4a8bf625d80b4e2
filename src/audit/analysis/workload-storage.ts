/**
 * Which of a workload's volumes are NFS, and through what chain (volume → PVC → PV/StorageClass).
 * A PV in the scan is the truth for a bound claim; otherwise the class it was (or will be) provisioned from.
 */
import type { SourceLocation } from '../../core/location.ts';
import { type Inventory, podSpecPath } from '../inventory.ts';
import { getArray, getString, type K8sObject } from '../model.ts';
import { LONGHORN_DRIVER, type MountSite, sitesOf } from './mount-sites.ts';

export interface NfsVolume {
  volumeName: string;
  /** "PVC monitoring/storage-loki-0 → PersistentVolume pvc-… (nfs.csi.k8s.io)". */
  chain: string;
  /** The mount site whose options apply, when known. */
  site: MountSite | undefined;
  /** Longhorn RWX volumes are NFS (share-manager) with Longhorn's defaults when no site is set. */
  longhornRwx: boolean;
  location: SourceLocation;
}

export function nfsVolumesOf(w: K8sObject, inv: Inventory): NfsVolume[] {
  const specPath = podSpecPath(w);
  if (specPath === undefined) return [];
  const own = sitesOf(inv, w);
  const siteOf = (o: K8sObject | undefined) => sitesOf(inv, o)[0];
  const out: NfsVolume[] = [];

  getArray(w.body, [...specPath, 'volumes']).forEach((v, i) => {
    const volumeName = getString(v, ['name']) ?? `#${i}`;
    const location = w.locate([...specPath, 'volumes', i]);
    const inline = own.find(
      (s) =>
        (s.origin === 'InlineVolume' || s.origin === 'CsiInlineVolume') &&
        s.label.endsWith(` volume ${volumeName}`),
    );
    if (inline)
      out.push({
        volumeName,
        chain: `inline ${inline.origin === 'InlineVolume' ? 'nfs' : 'CSI nfs'} volume`,
        site: inline,
        longhornRwx: false,
        location,
      });
  });

  const volumes = getArray(w.body, [...specPath, 'volumes']);
  for (const claim of inv.claimsOf(w)) {
    const pvSite = siteOf(claim.pv);
    const scSite = siteOf(claim.storageClass);
    const accessModes = getArray(claim.pvc?.body ?? claim.template?.body, ['spec', 'accessModes']).map(
      String,
    );
    const longhornRwx =
      getString(claim.storageClass?.body, ['provisioner']) === LONGHORN_DRIVER &&
      accessModes.includes('ReadWriteMany');
    if (!pvSite && !scSite && !longhornRwx) continue;
    // A bound PV that is not NFS wins over whatever its class says now.
    if (claim.pv && !pvSite && !longhornRwx) continue;
    const parts = [
      claim.pvc
        ? `PVC ${claim.pvc.namespace ?? 'default'}/${claim.pvc.name}${claim.template ? ` (claim template ${claim.claimName})` : ''}`
        : `claim template ${claim.claimName}`,
    ];
    if (claim.pv) parts.push(`PersistentVolume ${claim.pv.name}`);
    if (claim.storageClassName)
      parts.push(
        `StorageClass ${claim.storageClassName}${claim.binding === 'default' ? ' (default class)' : ''}`,
      );
    // Pod volumes that reference the claim (templates are mounted by their own name).
    const refs = claim.template
      ? [{ volumeName: claim.claimName, location: w.locate(claim.template.path) }]
      : volumes.flatMap((v, i) =>
          getString(v, ['persistentVolumeClaim', 'claimName']) === claim.claimName
            ? [
                {
                  volumeName: getString(v, ['name']) ?? `#${i}`,
                  location: w.locate([...specPath, 'volumes', i]),
                },
              ]
            : [],
        );
    for (const ref of refs)
      out.push({
        ...ref,
        chain: parts.join(' → '),
        site: pvSite ?? scSite,
        longhornRwx: longhornRwx && !pvSite && !scSite,
      });
  }
  return out;
}

/** Volume names a workload's containers mount (for StatefulSets, claim templates mount by their name). */
export function mountedVolumeNames(containers: readonly unknown[]): Set<string> {
  const names = new Set<string>();
  for (const c of containers)
    for (const m of getArray(c, ['volumeMounts'])) {
      const n = getString(m, ['name']);
      if (n) names.add(n);
    }
  return names;
}
