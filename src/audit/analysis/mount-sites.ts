/**
 * Every place an NFS mount is defined, with the options the kernel would actually use and where those
 * options (or, when implicit, the object) are written. Rules about NFS read these instead of walking
 * objects themselves, so a new source (a CRD, a Helm shape) needs one extractor here and no rule change.
 *
 * Sources: StorageClass (csi-driver-nfs, nfs-subdir-style provisioners, Longhorn `nfsOptions`), PV
 * (`spec.nfs`, `spec.csi` nfs/longhorn, `spec.mountOptions`, the deprecated annotation), inline pod
 * `nfs:` and CSI inline volumes, node fstab entries and live mountinfo entries.
 */

import type { NfsMountConfDefault } from '../../audit/sources/node/facts.ts';
import type { ObjectRef, SourceLocation } from '../../core/location.ts';
import { isNfsType, splitNfsSource } from '../../host/mountinfo.ts';
import {
  errorAfterSeconds,
  majorTimeoutSeconds,
  type NfsMountOptions,
  parseNfsOptions,
  type RawOption,
  splitOptions,
} from '../../nfs/mount-options.ts';
import { confOptionsFor } from '../../nfs/nfsmount-conf.ts';
import { type Inventory, isDefaultStorageClass, POD_SPEC_PATHS, podSpecPath } from '../inventory.ts';
import { getArray, getRecord, getString, type K8sObject, objectRef, type YamlPath } from '../model.ts';
import { isNfsSubdirChart } from '../sources/gitops/charts/nfs-subdir.ts';
import { repoNfsMountConf } from './repo-node-config.ts';
import { hasVariables, resolveVariables, substitutionsOf } from './substitution.ts';

export const NFS_CSI_DRIVER = 'nfs.csi.k8s.io';
export const LONGHORN_DRIVER = 'driver.longhorn.io';
export const MOUNT_OPTIONS_ANNOTATION = 'volume.beta.kubernetes.io/mount-options';
/** Longhorn's RWX share-manager mount when `nfsOptions` is not set (longhorn csi/node_server.go). */
export const LONGHORN_DEFAULT_NFS_OPTIONS = 'vers=4.1,noresvport,timeo=600,retrans=5,softerr';

export type SiteOrigin =
  | 'StorageClass'
  | 'PersistentVolume'
  | 'InlineVolume'
  | 'CsiInlineVolume'
  | 'fstab'
  | 'mountinfo';
/** Who performs the mount: matters for which defaults apply (host nfsmount.conf vs driver container). */
export type SiteDriver = 'nfs-csi' | 'nfs-provisioner' | 'longhorn' | 'kubelet' | 'host';

/** One option string as written (a list item, or a whole comma-separated value) and where it is. */
export interface WrittenOptions {
  text: string;
  location: SourceLocation;
}

export interface MountSite {
  origin: SiteOrigin;
  driver: SiteDriver;
  object: ObjectRef;
  /** The Kubernetes object, for k8s sites; undefined for fstab/mountinfo. */
  k8s: K8sObject | undefined;
  /** Human label, e.g. "StorageClass truenas-nfs" or "/etc/fstab /mnt/media". */
  label: string;
  /** The server, with Flux `${VAR}` substitutions resolved where the repository shows the value. */
  server: string | undefined;
  /** When the server was written with `${VAR}`: as written, and the variables still unknown. */
  serverVariables?: { written: string; unresolved: string[]; sources: string[] } | undefined;
  serverLocation: SourceLocation | undefined;
  exportPath: string | undefined;
  /** Where the mount lands on the node (fstab, mountinfo). */
  mountPoint: string | undefined;
  /** For a live mount kubelet made for a pod: which pod and volume (undefined otherwise). */
  podVolume?: PodVolume | undefined;
  /** Field the options came from, for messages ("mountOptions", "parameters.nfsOptions", ...). */
  optionsField: string | undefined;
  /** Options as written, in order; empty when none were written (kernel or driver defaults apply). */
  written: WrittenOptions[];
  /** /etc/nfsmount.conf global defaults that mount.nfs applies before the written options. */
  confDefaults: NfsMountConfDefault[];
  /** Driver defaults used because nothing was written (Longhorn). */
  driverDefaults: string | undefined;
  /** Effective options. */
  options: NfsMountOptions;
  majorTimeoutSeconds: number;
  /** null: hard, never returns an error. */
  errorAfterSeconds: number | null;
  /** Most precise place for a finding about the options as a whole. */
  location: SourceLocation;
  /** The site is a StorageClass annotated as the cluster default. */
  isDefaultClass: boolean;
  derivedFrom: string | undefined;
}

/** The parts of a kubelet pod volume mount point: …/pods/<uid>/volumes/kubernetes.io~<plugin>/<volume>/mount. */
export interface PodVolume {
  pod: string;
  /** `csi`: the directory is the PV's name; `nfs`: the PV's name, or an inline volume's name. */
  plugin: 'csi' | 'nfs';
  volume: string;
}

const cache = new WeakMap<Inventory, MountSite[]>();
const byObject = new WeakMap<Inventory, Map<K8sObject, MountSite[]>>();

/** The sites a Kubernetes object defines (a class, a PV, a workload's inline volumes). */
export function sitesOf(inv: Inventory, o: K8sObject | undefined): MountSite[] {
  if (o === undefined) return [];
  let index = byObject.get(inv);
  if (index === undefined) {
    index = new Map();
    for (const s of mountSites(inv)) {
      if (!s.k8s) continue;
      const list = index.get(s.k8s) ?? [];
      list.push(s);
      index.set(s.k8s, list);
    }
    byObject.set(inv, index);
  }
  return index.get(o) ?? [];
}

/** All NFS mount sites in the inventory (computed once per inventory). */
export function mountSites(inv: Inventory): MountSite[] {
  let sites = cache.get(inv);
  if (sites === undefined) {
    sites = [
      ...inv.ofKind('StorageClass').flatMap((sc) => storageClassSite(sc)),
      ...inv.ofKind('PersistentVolume').flatMap((pv) => pvSite(pv, inv)),
      ...inv.workloads().flatMap((w) => inlineSites(w, inv)),
      ...embeddedSites(inv),
      ...fstabSites(inv),
      ...liveSites(inv),
    ];
    for (const site of sites) resolveServer(site, inv);
    cache.set(inv, sites);
  }
  return sites;
}

/** Flux `${VAR}` in a server: resolve from the repo's plain ConfigMaps, else keep it and say so. */
function resolveServer(site: MountSite, inv: Inventory): void {
  if (site.server === undefined || !hasVariables(site.server)) return;
  const r = resolveVariables(site.server, substitutionsOf(inv));
  site.serverVariables = { written: site.server, unresolved: r.unresolved, sources: r.sources };
  site.server = r.value;
}

/** Is this provisioner one that mounts NFS? csi-driver-nfs, nfs-subdir/nfs-client style provisioners. */
export function isNfsProvisioner(provisioner: string): boolean {
  if (provisioner === NFS_CSI_DRIVER) return true;
  // nfs-subdir-external-provisioner and its forks take free-form names (k8s-sigs.io/nfs-subdir-external-
  // provisioner, cluster.local/nfs-client-provisioner, example.com/nfs): "nfs" as a name segment.
  return /(^|[/.-])nfs([/.-]|$)/i.test(provisioner);
}

/** The latest written entry that contains an option matching `pred`, else the site's location. */
export function locateOption(site: MountSite, pred: (o: RawOption) => boolean): SourceLocation {
  for (let i = site.written.length - 1; i >= 0; i--) {
    const w = site.written[i]!;
    if (splitOptions(w.text).some(pred)) return w.location;
  }
  return site.location;
}

/**
 * Where the option that decides `name`'s effective value was written: the last written entry that
 * holds it, else the nfsmount.conf line that supplied it, else the site (the value is a default).
 */
export function locateEffective(site: MountSite, names: readonly string[]): SourceLocation {
  const match = (o: RawOption) => names.includes(o.name);
  if (site.written.some((w) => splitOptions(w.text).some(match))) return locateOption(site, match);
  const conf = [...site.confDefaults].reverse().find((d) => splitOptions(d.option).some(match));
  return conf?.location ?? site.location;
}

/** The options as a reader would write them: "hard,timeo=600,nfsvers=4.1" or "(none)". */
export function writtenText(site: MountSite): string {
  return site.written.length === 0 ? '(none)' : site.written.map((w) => w.text).join(',');
}

/** Evidence every NFS finding carries: options as seen, effective values and the error time. */
export function siteEvidence(site: MountSite): Record<string, unknown> {
  const o = site.options;
  const ev: Record<string, unknown> = {
    site: site.label,
    optionsWritten: writtenText(site),
    recovery: o.recovery,
    recoveryExplicit: o.recoveryExplicit,
    timeo: o.timeo,
    retrans: o.retrans,
    transport: o.transport,
    nfsVersion: o.version ?? 'unpinned',
    majorTimeoutSeconds: site.majorTimeoutSeconds,
    errorAfterSeconds: site.errorAfterSeconds,
  };
  if (site.optionsField) ev.optionsField = site.optionsField;
  if (site.server) ev.server = site.server;
  if (site.serverVariables) ev.serverVariables = site.serverVariables;
  if (site.exportPath) ev.export = site.exportPath;
  if (site.mountPoint) ev.mountPoint = site.mountPoint;
  if (site.confDefaults.length > 0) ev.nfsmountConf = site.confDefaults.map((d) => d.option);
  if (site.driverDefaults) ev.driverDefaults = site.driverDefaults;
  if (site.derivedFrom) ev.derivedFrom = site.derivedFrom;
  return ev;
}

/** "hard, timeo=600 retrans=2 → never returns an error" style summary with the numbers. */
export function describeRecovery(site: MountSite): string {
  const o = site.options;
  const params = timingParams(site);
  if (site.errorAfterSeconds === null)
    return `hard${o.recoveryExplicit ? '' : ' (implicit: no soft/softerr)'}: I/O never returns an error (errorAfterSeconds=never); the kernel logs "not responding, still trying" every ${site.majorTimeoutSeconds} s (${params}) and retries for ever`;
  // NFSv4 does not retransmit on a live TCP connection: the time holds once the connection breaks.
  const v4 = (o.version === undefined || o.version.startsWith('4')) && o.transport === 'tcp';
  const caveat = v4 && site.origin !== 'mountinfo' ? '; NFSv4: once the connection breaks' : '';
  return `${o.recovery}: I/O errors after ${site.errorAfterSeconds} s (${params}${caveat})`;
}

/** The numbers behind the error time: "timeo=600, retrans=2" (", udp" when not TCP). */
export function timingParams(site: MountSite): string {
  const o = site.options;
  return `timeo=${o.timeo}, retrans=${o.retrans}${o.transport === 'tcp' ? '' : `, ${o.transport}`}`;
}

// ---------------------------------------------------------------------------------------------------
// Extractors

function storageClassSite(sc: K8sObject): MountSite[] {
  const provisioner = getString(sc.body, ['provisioner']) ?? '';
  if (provisioner === LONGHORN_DRIVER) {
    // Only RWX volumes are NFS, and only `nfsOptions` changes the (soft) defaults: report when set.
    const nfsOptions = getString(sc.body, ['parameters', 'nfsOptions']);
    if (nfsOptions === undefined) return [];
    const path: YamlPath = ['parameters', 'nfsOptions'];
    return [
      makeSite({
        origin: 'StorageClass',
        driver: 'longhorn',
        k8s: sc,
        label: `StorageClass ${sc.name}`,
        written: [{ text: nfsOptions, location: sc.locate(path) }],
        optionsField: 'parameters.nfsOptions',
        location: sc.locate(path),
        isDefaultClass: isDefaultStorageClass(sc),
      }),
    ];
  }
  if (!isNfsProvisioner(provisioner)) return [];
  const csi = provisioner === NFS_CSI_DRIVER;
  return [
    makeSite({
      origin: 'StorageClass',
      driver: csi ? 'nfs-csi' : 'nfs-provisioner',
      k8s: sc,
      label: `StorageClass ${sc.name}`,
      server: csi ? getString(sc.body, ['parameters', 'server']) : undefined,
      serverLocation: csi ? sc.locate(['parameters', 'server']) : undefined,
      exportPath: csi ? getString(sc.body, ['parameters', 'share']) : undefined,
      ...listOptions(sc, ['mountOptions']),
      isDefaultClass: isDefaultStorageClass(sc),
    }),
  ];
}

function pvSite(pv: K8sObject, inv: Inventory): MountSite[] {
  const spec = getRecord(pv.body, ['spec']) ?? {};
  const annotation = getString(pv.body, ['metadata', 'annotations', MOUNT_OPTIONS_ANNOTATION]);
  // kubelet's MountOptionFromSpec: the beta annotation, when present, is used instead of spec.mountOptions.
  const specOptions =
    annotation !== undefined
      ? {
          written: [
            {
              text: annotation,
              location: pv.locate(['metadata', 'annotations', MOUNT_OPTIONS_ANNOTATION]),
            },
          ],
          optionsField: `metadata.annotations["${MOUNT_OPTIONS_ANNOTATION}"]`,
          location: pv.locate(['metadata', 'annotations', MOUNT_OPTIONS_ANNOTATION]),
        }
      : listOptions(pv, ['spec', 'mountOptions']);
  const base = { origin: 'PersistentVolume' as const, k8s: pv, label: `PersistentVolume ${pv.name}` };

  if (getRecord(spec, ['nfs'])) {
    return [
      makeSite({
        ...base,
        driver: 'kubelet',
        server: getString(spec, ['nfs', 'server']),
        serverLocation: pv.locate(['spec', 'nfs', 'server']),
        exportPath: getString(spec, ['nfs', 'path']),
        ...specOptions,
        confDefaults: nodeConf(inv, getString(spec, ['nfs', 'server']), undefined),
      }),
    ];
  }
  const driver = getString(spec, ['csi', 'driver']);
  const attrs: YamlPath = ['spec', 'csi', 'volumeAttributes'];
  if (driver === NFS_CSI_DRIVER) {
    // csi-driver-nfs appends volumeAttributes.mountOptions after the PV's mount flags.
    const extra = getString(pv.body, [...attrs, 'mountOptions']);
    const written = [...specOptions.written];
    if (extra !== undefined) written.push({ text: extra, location: pv.locate([...attrs, 'mountOptions']) });
    return [
      makeSite({
        ...base,
        driver: 'nfs-csi',
        server: getString(pv.body, [...attrs, 'server']),
        serverLocation: pv.locate([...attrs, 'server']),
        exportPath: getString(pv.body, [...attrs, 'share']),
        written,
        optionsField:
          extra !== undefined && specOptions.written.length === 0
            ? 'spec.csi.volumeAttributes.mountOptions'
            : specOptions.optionsField,
        location: written.length > 0 ? written[0]!.location : specOptions.location,
      }),
    ];
  }
  if (driver === LONGHORN_DRIVER) {
    const nfsOptions = getString(pv.body, [...attrs, 'nfsOptions']);
    if (nfsOptions === undefined) return [];
    const loc = pv.locate([...attrs, 'nfsOptions']);
    return [
      makeSite({
        ...base,
        driver: 'longhorn',
        written: [{ text: nfsOptions, location: loc }],
        optionsField: 'spec.csi.volumeAttributes.nfsOptions',
        location: loc,
      }),
    ];
  }
  return [];
}

function inlineSites(w: K8sObject, inv: Inventory): MountSite[] {
  const specPath = podSpecPath(w);
  if (specPath === undefined) return [];
  const sites: MountSite[] = [];
  getArray(w.body, [...specPath, 'volumes']).forEach((v, i) => {
    const volPath: YamlPath = [...specPath, 'volumes', i];
    const volName = getString(v, ['name']) ?? `#${i}`;
    const label = `${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name} volume ${volName}`;
    if (getRecord(v, ['nfs'])) {
      sites.push(
        makeSite({
          origin: 'InlineVolume',
          driver: 'kubelet',
          k8s: w,
          label,
          server: getString(v, ['nfs', 'server']),
          serverLocation: w.locate([...volPath, 'nfs', 'server']),
          exportPath: getString(v, ['nfs', 'path']),
          written: [],
          location: w.locate(volPath),
          // A pod spec cannot carry NFS mount options (k8s volumes docs); only the node's defaults apply.
          confDefaults: nodeConf(inv, getString(v, ['nfs', 'server']), undefined),
        }),
      );
    } else if (getString(v, ['csi', 'driver']) === NFS_CSI_DRIVER) {
      const attrs: YamlPath = [...volPath, 'csi', 'volumeAttributes'];
      const mo = getString(w.body, [...attrs, 'mountOptions']);
      sites.push(
        makeSite({
          origin: 'CsiInlineVolume',
          driver: 'nfs-csi',
          k8s: w,
          label,
          server: getString(w.body, [...attrs, 'server']),
          serverLocation: w.locate([...attrs, 'server']),
          exportPath: getString(w.body, [...attrs, 'share']),
          written: mo === undefined ? [] : [{ text: mo, location: w.locate([...attrs, 'mountOptions']) }],
          optionsField: 'csi.volumeAttributes.mountOptions',
          location: mo === undefined ? w.locate(volPath) : w.locate([...attrs, 'mountOptions']),
        }),
      );
    }
  });
  return sites;
}

/** Kinds whose NFS the extractors above read at known paths (or that are not cluster objects). */
const KNOWN_SHAPES = new Set(['PersistentVolume', 'StorageClass', 'TalosMachineConfig', 'TalhelperConfig']);
const WRAPPER_KINDS = new Set(['HelmRelease', 'Application', 'HelmChart']);
/** Bounds the generic walk per object (a CRD is kilobytes; a hostile one must not cost more). */
const MAX_WALK_NODES = 20_000;

/**
 * NFS anywhere a volume can hide: a `nfs: {server, path}` volume source inside any other object —
 * CRDs that embed pod specs or volumes (backup movers, repository CRs, policy generate templates),
 * chart values (`extraVolumes`) in a HelmRelease/Application — reported as an inline volume of
 * the owning object, with the path to it.
 */
function embeddedSites(inv: Inventory): MountSite[] {
  const sites: MountSite[] = [];
  for (const o of inv.objects) {
    if (o.kind in POD_SPEC_PATHS || KNOWN_SHAPES.has(o.kind)) continue;
    // nfs-subdir-external-provisioner's `nfs: {server, path}` is read by its chart deriver (a class + PV).
    if (WRAPPER_KINDS.has(o.kind) && chartNames(o).some(isNfsSubdirChart)) continue;
    let budget = MAX_WALK_NODES;
    const walk = (v: unknown, path: (string | number)[]): void => {
      if (--budget < 0 || v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) walk(v[i], [...path, i]);
        return;
      }
      const rec = v as Record<string, unknown>;
      const nfs = rec.nfs;
      // app-template `type: custom` volumeSpecs are read by its deriver (the workload owns them).
      if (nfs && typeof nfs === 'object' && !Array.isArray(nfs) && path[path.length - 1] !== 'volumeSpec') {
        const server = getString(nfs, ['server']);
        const exportPath = getString(nfs, ['path']);
        if (server !== undefined && exportPath !== undefined) {
          const name = getString(rec, ['name']) ?? String(path[path.length - 1] ?? '');
          sites.push(
            makeSite({
              origin: 'InlineVolume',
              driver: 'kubelet',
              k8s: o,
              label: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} volume ${name} (at ${formatPath(path)})`,
              server,
              serverLocation: o.locate([...path, 'nfs', 'server']),
              exportPath,
              written: [],
              location: o.locate(path),
              confDefaults: nodeConf(inv, server, undefined),
            }),
          );
          return;
        }
      }
      for (const [k, x] of Object.entries(rec)) walk(x, [...path, k]);
    };
    walk(o.body, []);
  }
  return sites;
}

/** Chart names a GitOps wrapper refers to (Flux chart/chartRef, Argo source(s), k3s HelmChart). */
function chartNames(o: K8sObject): string[] {
  const names = [
    getString(o.body, ['spec', 'chart', 'spec', 'chart']),
    getString(o.body, ['spec', 'chartRef', 'name']),
    getString(o.body, ['spec', 'source', 'chart']),
    getString(o.body, ['spec', 'chart']),
    ...getArray(o.body, ['spec', 'sources']).map((x) => getString(x, ['chart'])),
  ];
  return names.filter((n): n is string => n !== undefined);
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

function fstabSites(inv: Inventory): MountSite[] {
  return (inv.node?.fstab ?? [])
    .filter((e) => isNfsType(e.fsType))
    .map((e) => {
      const opts = e.options.trim() === '' || e.options.trim() === 'defaults' ? [] : [e.options.trim()];
      return hostSite(
        { source: e.spec, fsType: e.fsType, mountPoint: e.mountPoint, location: e.location },
        {
          origin: 'fstab',
          label: `${e.location.file} ${e.mountPoint}`,
          written: opts.map((text) => ({ text, location: e.location })),
          optionsField: 'fstab options',
          confDefaults: nodeConf(inv, splitNfsSource(e.spec)?.server, e.mountPoint),
        },
      );
    });
}

function liveSites(inv: Inventory): MountSite[] {
  return (inv.node?.mounts ?? [])
    .filter((m) => isNfsType(m.fsType))
    .map((m) => {
      const podVolume = podVolumeOf(m.mountPoint);
      // The kernel prints every effective NFS option in the super options: no defaults to add.
      return hostSite(m, {
        origin: 'mountinfo',
        label: `mount ${m.source} on ${m.mountPoint}${podVolumeLabel(podVolume)}`,
        podVolume,
        written: [{ text: m.superOptions, location: m.location }],
        optionsField: 'mountinfo super options',
      });
    });
}

/**
 * A mount on the node itself (an fstab entry or a live mount): named by its node file, server and
 * export split from `server:/export`; fstype nfs4 is NFSv4 (minor negotiated) unless the options pin one.
 */
function hostSite(
  m: { source: string; fsType: string; mountPoint: string; location: SourceLocation },
  rest: Pick<SiteInput, 'origin' | 'label' | 'podVolume' | 'written' | 'optionsField' | 'confDefaults'>,
): MountSite {
  const src = splitNfsSource(m.source);
  return makeSite({
    ...rest,
    driver: 'host',
    k8s: undefined,
    object: { kind: 'NodeFile', name: m.location.file },
    server: src?.server,
    serverLocation: m.location,
    exportPath: src?.export,
    mountPoint: m.mountPoint,
    location: m.location,
    implied: m.fsType === 'nfs4' ? ['vers=4'] : [],
  });
}

/** kubelet mounts pod volumes at …/pods/<uid>/volumes/kubernetes.io~<plugin>/<volume>/mount. */
export function podVolumeOf(mountPoint: string): PodVolume | undefined {
  const m = /\/pods\/([^/]+)\/volumes\/kubernetes\.io~(csi|nfs)\/([^/]+)(\/mount)?$/.exec(mountPoint);
  if (!m) return undefined;
  return { pod: m[1]!, plugin: m[2] as PodVolume['plugin'], volume: m[3]! };
}

function podVolumeLabel(v: PodVolume | undefined): string {
  if (!v) return '';
  return v.plugin === 'csi'
    ? ` (PersistentVolume ${v.volume}, pod ${v.pod})`
    : ` (inline volume ${v.volume}, pod ${v.pod})`;
}

// ---------------------------------------------------------------------------------------------------

/** The node's nfsmount.conf options that apply to a mount of `server` on `mountPoint`. */
export function nodeConf(
  inv: Inventory,
  server: string | undefined,
  mountPoint: string | undefined,
): NfsMountConfDefault[] {
  // A real node (--node-root) wins; else what the repository's Talos configs write.
  const conf = inv.node?.nfsmountConf ?? repoNfsMountConf(inv);
  return conf.length === 0 ? [] : confOptionsFor(conf, { server, mountPoint });
}

interface SiteInput {
  origin: SiteOrigin;
  driver: SiteDriver;
  k8s: K8sObject | undefined;
  object?: ObjectRef;
  label: string;
  server?: string | undefined;
  serverLocation?: SourceLocation | undefined;
  exportPath?: string | undefined;
  mountPoint?: string;
  podVolume?: PodVolume | undefined;
  written: WrittenOptions[];
  optionsField?: string | undefined;
  location?: SourceLocation;
  confDefaults?: NfsMountConfDefault[];
  isDefaultClass?: boolean;
  /** Options implied by the mount type (nfs4), applied before everything else. */
  implied?: string[];
}

function makeSite(i: SiteInput): MountSite {
  const confDefaults = i.confDefaults ?? [];
  const driverDefaults =
    i.driver === 'longhorn' && i.written.length === 0 ? LONGHORN_DEFAULT_NFS_OPTIONS : undefined;
  const options = parseNfsOptions([
    ...(i.implied ?? []),
    ...confDefaults.map((d) => d.option),
    ...(driverDefaults ? [driverDefaults] : []),
    ...i.written.map((w) => w.text),
  ]);
  const location = i.location ?? i.k8s?.location ?? { file: '(unknown)' };
  return {
    origin: i.origin,
    driver: i.driver,
    object: i.object ?? objectRef(i.k8s!),
    k8s: i.k8s,
    label: i.label,
    server: i.server,
    serverLocation: i.server === undefined ? undefined : (i.serverLocation ?? location),
    exportPath: i.exportPath,
    mountPoint: i.mountPoint,
    podVolume: i.podVolume,
    optionsField: i.optionsField,
    written: i.written,
    confDefaults,
    driverDefaults,
    options,
    majorTimeoutSeconds: majorTimeoutSeconds(options),
    errorAfterSeconds: errorAfterSeconds(options),
    location,
    isDefaultClass: i.isDefaultClass ?? false,
    derivedFrom: i.k8s?.derivedFrom,
  };
}

/** A YAML list of options (`mountOptions:`), each item located; or nothing written. */
function listOptions(
  o: K8sObject,
  path: YamlPath,
): { written: WrittenOptions[]; optionsField: string | undefined; location: SourceLocation } {
  const items = getArray(o.body, path);
  const written: WrittenOptions[] = [];
  items.forEach((item, i) => {
    if (typeof item === 'string' || typeof item === 'number')
      written.push({ text: String(item), location: o.locate([...path, i]) });
  });
  if (written.length === 0) {
    const single = getString(o.body, path);
    if (single !== undefined) written.push({ text: single, location: o.locate(path) });
  }
  return {
    written,
    optionsField: written.length > 0 ? path.join('.') : undefined,
    location: written.length > 0 ? o.locate(path) : o.location,
  };
}
