/**
 * Indexed access to everything a scan found, plus the relations rules need
 * (PVC → PV → StorageClass, workload → PVCs, the default StorageClass).
 * Indexes are built once, lazily, so rules stay linear in the number of objects.
 */
import {
  getArray,
  getPath,
  getRecord,
  getString,
  type K8sObject,
  type NodeFacts,
  type YamlPath,
} from './model.ts';

export interface AuditSettings {
  /** Seconds a node tolerates a blocked task before something drastic happens (hung-task, watchdog). */
  nodeBudgetSeconds: number;
}

export const DEFAULT_SETTINGS: AuditSettings = { nodeBudgetSeconds: 120 };

/** Kinds that carry a pod spec, and where it sits in their body. */
export const POD_SPEC_PATHS: Readonly<Record<string, YamlPath>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/**
 * How a claim chose its StorageClass: by name, by falling back to the default class, not at all
 * (storageClassName ""), or unknown (the PVC is not in the scan).
 */
export type ClassBinding = 'explicit' | 'default' | 'none' | 'unknown';

/** One volume claim a workload uses: a PVC object or a StatefulSet volumeClaimTemplate. */
export interface ClaimUse {
  claimName: string;
  /** The PVC object when one was found (absent for templates and for PVCs not in the scan). */
  pvc: K8sObject | undefined;
  /** For StatefulSet volumeClaimTemplates: the template body and its path in the workload. */
  template: { body: Record<string, unknown>; path: YamlPath } | undefined;
  storageClass: K8sObject | undefined;
  /** The storageClassName the claim resolves to (may name a class not in the scan). */
  storageClassName: string | undefined;
  binding: ClassBinding;
  pv: K8sObject | undefined;
}

export class Inventory {
  readonly objects: readonly K8sObject[];
  readonly node: NodeFacts | undefined;
  readonly settings: AuditSettings;
  #byKind: Map<string, K8sObject[]> | undefined;
  #byKey = new Map<string, Map<string, K8sObject>>();
  #workloads: K8sObject[] | undefined;
  #defaults: K8sObject[] | undefined;
  #workloadsByClaim: Map<string, K8sObject[]> | undefined;
  #claimsByVolumeName: Map<string, K8sObject[]> | undefined;

  constructor(
    objects: readonly K8sObject[],
    node: NodeFacts | undefined,
    settings: AuditSettings = DEFAULT_SETTINGS,
  ) {
    this.objects = objects;
    this.node = node;
    this.settings = settings;
  }

  ofKind(kind: string): K8sObject[] {
    if (this.#byKind === undefined) {
      this.#byKind = new Map();
      for (const o of this.objects) {
        const list = this.#byKind.get(o.kind);
        if (list) list.push(o);
        else this.#byKind.set(o.kind, [o]);
      }
    }
    return this.#byKind.get(kind) ?? [];
  }

  /** Object by kind, namespace and name (namespace ignored for cluster-scoped kinds). */
  get(kind: string, name: string, namespace?: string): K8sObject | undefined {
    let index = this.#byKey.get(kind);
    if (index === undefined) {
      index = new Map();
      // First definition wins, as `kubectl apply` of a stream would leave the last — but a scan that
      // holds both usually means two environments; keeping the first keeps locations stable.
      for (const o of this.ofKind(kind)) {
        const key = keyOf(o.name, o.namespace ?? 'default');
        if (!index.has(key)) index.set(key, o);
        if (!index.has(keyOf(o.name, undefined))) index.set(keyOf(o.name, undefined), o);
      }
      this.#byKey.set(kind, index);
    }
    return index.get(keyOf(name, namespace));
  }

  storageClass(name: string): K8sObject | undefined {
    return this.get('StorageClass', name);
  }

  /** StorageClasses annotated as default. Kubernetes uses the newest when several are; we return all. */
  defaultStorageClasses(): K8sObject[] {
    this.#defaults ??= this.ofKind('StorageClass').filter(isDefaultStorageClass);
    return this.#defaults;
  }

  defaultStorageClass(): K8sObject | undefined {
    return this.defaultStorageClasses()[0];
  }

  /** The class a PVC (or a claim template body) lands on. Absent storageClassName → default class. */
  classOfClaim(claimBody: Record<string, unknown>): {
    name: string | undefined;
    object: K8sObject | undefined;
    binding: ClassBinding;
  } {
    const spec = getRecord(claimBody, ['spec']) ?? {};
    const explicit =
      'storageClassName' in spec
        ? spec.storageClassName
        : getString(claimBody, ['metadata', 'annotations', 'volume.beta.kubernetes.io/storage-class']);
    if (typeof explicit === 'string') {
      // "" explicitly asks for no class (static binding only).
      if (explicit === '') return { name: undefined, object: undefined, binding: 'none' };
      return { name: explicit, object: this.storageClass(explicit), binding: 'explicit' };
    }
    if (explicit === null || explicit === undefined) {
      const def = this.defaultStorageClass();
      return { name: def?.name, object: def, binding: def ? 'default' : 'none' };
    }
    return { name: undefined, object: undefined, binding: 'none' };
  }

  /** The PV bound to a PVC: by spec.volumeName, else a PV whose claimRef names the PVC. */
  pvOfClaim(pvc: K8sObject): K8sObject | undefined {
    const volumeName = getString(pvc.body, ['spec', 'volumeName']);
    if (volumeName) {
      const pv = this.get('PersistentVolume', volumeName);
      if (pv) return pv;
    }
    return this.pvByClaimRef().get(keyOf(pvc.name, namespaceOf(pvc)));
  }

  #pvByClaimRef: Map<string, K8sObject> | undefined;
  private pvByClaimRef(): Map<string, K8sObject> {
    if (this.#pvByClaimRef === undefined) {
      this.#pvByClaimRef = new Map();
      for (const pv of this.ofKind('PersistentVolume')) {
        const name = getString(pv.body, ['spec', 'claimRef', 'name']);
        if (name === undefined) continue;
        const ns = getString(pv.body, ['spec', 'claimRef', 'namespace']) ?? 'default';
        this.#pvByClaimRef.set(keyOf(name, ns), pv);
      }
    }
    return this.#pvByClaimRef;
  }

  /** PVCs bound to a PV (through its claimRef or their volumeName). */
  claimsOfPv(pv: K8sObject): K8sObject[] {
    if (this.#claimsByVolumeName === undefined) {
      this.#claimsByVolumeName = new Map();
      for (const pvc of this.ofKind('PersistentVolumeClaim')) {
        const v = getString(pvc.body, ['spec', 'volumeName']);
        if (v === undefined) continue;
        const list = this.#claimsByVolumeName.get(v) ?? [];
        list.push(pvc);
        this.#claimsByVolumeName.set(v, list);
      }
    }
    const out = [...(this.#claimsByVolumeName.get(pv.name) ?? [])];
    const refName = getString(pv.body, ['spec', 'claimRef', 'name']);
    if (refName !== undefined) {
      const refNs = getString(pv.body, ['spec', 'claimRef', 'namespace']) ?? 'default';
      const byRef = this.get('PersistentVolumeClaim', refName, refNs);
      if (byRef && !out.includes(byRef)) out.push(byRef);
    }
    return out;
  }

  /** The class a PV belongs to (spec.storageClassName or the beta annotation). */
  classOfPv(pv: K8sObject): K8sObject | undefined {
    const name =
      getString(pv.body, ['spec', 'storageClassName']) ??
      getString(pv.body, ['metadata', 'annotations', 'volume.beta.kubernetes.io/storage-class']);
    return name ? this.storageClass(name) : undefined;
  }

  /** Objects that carry a pod spec (Pods and workload templates). */
  workloads(): K8sObject[] {
    if (this.#workloads === undefined) {
      const all = this.objects.filter((o) => o.kind in POD_SPEC_PATHS);
      // A cluster dump holds both a Deployment and its Pods: report the template, not every replica.
      this.#workloads = all.filter((o) => o.kind !== 'Pod' || this.controllerOf(o) === undefined);
    }
    return this.#workloads;
  }

  /** The workload in the scan that controls a Pod (ReplicaSet → its Deployment, StatefulSet, …). */
  controllerOf(pod: K8sObject): K8sObject | undefined {
    const ref = getArray(pod.body, ['metadata', 'ownerReferences']).find(
      (r) => getPath(r, ['controller']) === true,
    );
    const kind = getString(ref, ['kind']);
    const name = getString(ref, ['name']);
    if (kind === undefined || name === undefined) return undefined;
    const ns = namespaceOf(pod);
    const owner = this.get(kind, name, ns);
    if (owner) return owner;
    if (kind === 'ReplicaSet') {
      // ReplicaSets are named <deployment>-<pod-template-hash>.
      const dash = name.lastIndexOf('-');
      return dash > 0 ? this.get('Deployment', name.slice(0, dash), ns) : undefined;
    }
    if (kind === 'Job') {
      const dash = name.lastIndexOf('-');
      return dash > 0 ? this.get('CronJob', name.slice(0, dash), ns) : undefined;
    }
    return undefined;
  }

  /** Every claim a workload uses, resolved to PVC, StorageClass and PV where the scan has them. */
  claimsOf(workload: K8sObject): ClaimUse[] {
    const specPath = podSpecPath(workload);
    if (specPath === undefined) return [];
    const ns = namespaceOf(workload);
    const uses: ClaimUse[] = [];
    const templates = new Map<string, { body: Record<string, unknown>; path: YamlPath }>();
    if (workload.kind === 'StatefulSet') {
      getArray(workload.body, ['spec', 'volumeClaimTemplates']).forEach((t, i) => {
        const name = getString(t, ['metadata', 'name']);
        if (name && t && typeof t === 'object')
          templates.set(name, {
            body: t as Record<string, unknown>,
            path: ['spec', 'volumeClaimTemplates', i],
          });
      });
    }
    const seen = new Set<string>();
    for (const v of getArray(workload.body, [...specPath, 'volumes'])) {
      const claimName = getString(v, ['persistentVolumeClaim', 'claimName']);
      if (claimName === undefined || seen.has(claimName)) continue;
      seen.add(claimName);
      const pvc = this.get('PersistentVolumeClaim', claimName, ns);
      uses.push(this.resolveClaim(claimName, pvc, undefined));
    }
    for (const [name, template] of templates) {
      if (seen.has(name)) continue;
      seen.add(name);
      // The controller names its claims <template>-<statefulset>-<ordinal>; the first one found
      // (with its PV) stands for the template's current storage.
      const pvc = this.claimsOfTemplate(ns, name, workload.name)[0];
      uses.push(this.resolveClaim(name, pvc, template));
    }
    return uses;
  }

  #pvcsByOrdinalPrefix: Map<string, K8sObject[]> | undefined;
  /** PVCs a StatefulSet created from a claim template: <template>-<statefulset>-<n>, sorted by n. */
  claimsOfTemplate(namespace: string, template: string, statefulSet: string): K8sObject[] {
    if (this.#pvcsByOrdinalPrefix === undefined) {
      this.#pvcsByOrdinalPrefix = new Map();
      for (const pvc of this.ofKind('PersistentVolumeClaim')) {
        const m = /^(.+)-\d+$/.exec(pvc.name);
        if (!m) continue;
        const key = keyOf(m[1]!, namespaceOf(pvc));
        const list = this.#pvcsByOrdinalPrefix.get(key) ?? [];
        list.push(pvc);
        this.#pvcsByOrdinalPrefix.set(key, list);
      }
    }
    const ordinal = (o: K8sObject) => Number(/-(\d+)$/.exec(o.name)?.[1] ?? 0);
    return [...(this.#pvcsByOrdinalPrefix.get(keyOf(`${template}-${statefulSet}`, namespace)) ?? [])].sort(
      (a, b) => ordinal(a) - ordinal(b),
    );
  }

  private resolveClaim(
    claimName: string,
    pvc: K8sObject | undefined,
    template: { body: Record<string, unknown>; path: YamlPath } | undefined,
  ): ClaimUse {
    const body = pvc?.body ?? template?.body;
    const pv = pvc ? this.pvOfClaim(pvc) : undefined;
    // A claim the scan does not hold says nothing about its class: do not guess the default.
    const cls = body
      ? this.classOfClaim(body)
      : { name: undefined, object: undefined, binding: 'unknown' as const };
    const storageClass = cls.object ?? (pv ? this.classOfPv(pv) : undefined);
    return {
      claimName,
      pvc,
      template,
      storageClass,
      storageClassName: cls.name ?? storageClass?.name,
      binding: cls.binding,
      pv,
    };
  }

  /** Workloads that mount a given PVC. */
  workloadsUsingClaim(pvc: K8sObject): K8sObject[] {
    if (this.#workloadsByClaim === undefined) {
      this.#workloadsByClaim = new Map();
      for (const w of this.workloads()) {
        const specPath = podSpecPath(w)!;
        const names = new Set<string>();
        for (const v of getArray(w.body, [...specPath, 'volumes'])) {
          const claim = getString(v, ['persistentVolumeClaim', 'claimName']);
          if (claim !== undefined) names.add(claim);
        }
        if (w.kind === 'StatefulSet')
          for (const t of getArray(w.body, ['spec', 'volumeClaimTemplates'])) {
            const tn = getString(t, ['metadata', 'name']);
            if (tn) for (const pvc of this.claimsOfTemplate(namespaceOf(w), tn, w.name)) names.add(pvc.name);
          }
        for (const claim of names) {
          const key = keyOf(claim, namespaceOf(w));
          const list = this.#workloadsByClaim.get(key) ?? [];
          list.push(w);
          this.#workloadsByClaim.set(key, list);
        }
      }
    }
    return this.#workloadsByClaim.get(keyOf(pvc.name, namespaceOf(pvc))) ?? [];
  }
}

export function isDefaultStorageClass(sc: K8sObject): boolean {
  return DEFAULT_CLASS_ANNOTATIONS.some(
    (a) => getString(sc.body, ['metadata', 'annotations', a])?.toLowerCase() === 'true',
  );
}

/** The annotation that made a class default, for locating findings. */
export function defaultClassAnnotationPath(sc: K8sObject): YamlPath {
  const a =
    DEFAULT_CLASS_ANNOTATIONS.find((k) => getString(sc.body, ['metadata', 'annotations', k]) !== undefined) ??
    DEFAULT_CLASS_ANNOTATIONS[0]!;
  return ['metadata', 'annotations', a];
}

export function podSpecPath(o: K8sObject): YamlPath | undefined {
  return POD_SPEC_PATHS[o.kind];
}

/** Namespaced objects without a namespace in a file land in "default" when applied. */
export function namespaceOf(o: K8sObject): string {
  return o.namespace ?? 'default';
}

function keyOf(name: string, namespace: string | undefined): string {
  return namespace === undefined ? `\0${name}` : `${namespace}\0${name}`;
}
