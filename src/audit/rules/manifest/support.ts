/**
 * Shared pieces of the manifest rules: the example type their docs and tests share, reference strings
 * (nfs(5), the kernel's fs/nfs and net/sunrpc, Kubernetes and CSI driver docs), the per-mount-site check loop, and option suggestions used in
 * fixes.
 */

import type { ObjectRef, SourceLocation } from '../../../core/location.ts';
import { errorAfterSeconds, parseNfsOptions, splitOptions } from '../../../nfs/mount-options.ts';
import { type MountSite, mountSites, siteEvidence, sitesOf } from '../../analysis/mount-sites.ts';
import { type Inventory, namespaceOf } from '../../inventory.ts';
import type { ReportInput, Rule } from '../../rule.ts';

/**
 * A bad and a good input for a rule. The docs show them; the rule's test runs them (bad must report,
 * good must not report above `info`). `language` is the code-fence language (default yaml); `fstab`
 * examples are /etc/fstab lines read as node facts. `file` names the node file an example stands for
 * (e.g. /etc/systemd/resolved.conf) for node rules.
 */
export interface RuleExamples {
  bad: string;
  good: string;
  language?: 'yaml' | 'fstab' | 'ini' | 'text';
  file?: string;
}

/**
 * A good example written as the bad one with `edits` applied, so the source shows what the fix changes
 * (the docs still show both in full). Each `from` must occur exactly once: a stale edit fails loudly.
 */
export function withEdits(bad: string, ...edits: [from: string, to: string][]): string {
  let out = bad;
  for (const [from, to] of edits) {
    const at = out.indexOf(from);
    if (at === -1 || out.indexOf(from, at + 1) !== -1)
      throw new Error(`example edit '${from}' must match exactly once`);
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}

/**
 * The case study's StorageClass (docs/case-study.md: (truenas-nfs on csi-driver-nfs, share /mnt/pool/k8s)) as examples
 * write it; `server` and the mountOptions (a flow list, or one option a line) vary with what an example
 * shows. Node-rule tests use it as "a hard NFS class" too.
 */
export function truenasClass(server: string, mountOptions: string | readonly string[]): string {
  const options =
    typeof mountOptions === 'string'
      ? [`mountOptions: ${mountOptions}`]
      : ['mountOptions:', ...mountOptions.map((o) => `  - ${o}`)];
  return [
    'apiVersion: storage.k8s.io/v1',
    'kind: StorageClass',
    'metadata:',
    '  name: truenas-nfs',
    'provisioner: nfs.csi.k8s.io',
    'parameters:',
    `  server: ${server}`,
    '  share: /mnt/pool/k8s',
    ...options,
    '',
  ].join('\n');
}

/**
 * What a rule says about one mount site. Location and object default to the site's; evidence is
 * added to the site's own (siteEvidence).
 */
export type SiteReport = Omit<ReportInput, 'location' | 'object'> & {
  location?: SourceLocation;
  object?: ObjectRef;
};

/**
 * The check of a rule that looks at each NFS mount site on its own: `decide` returns what to report for
 * a site (nothing, one finding, or several), and the loop fills in what every site finding carries.
 */
export function checkEachSite(
  decide: (site: MountSite, inventory: Inventory) => SiteReport | SiteReport[] | undefined,
): Rule['check'] {
  return ({ inventory, report }) => {
    for (const site of mountSites(inventory)) {
      const out = decide(site, inventory);
      for (const r of out === undefined ? [] : Array.isArray(out) ? out : [out])
        report({
          ...r,
          location: r.location ?? site.location,
          object: r.object ?? site.object,
          evidence: { ...siteEvidence(site), ...r.evidence },
        });
    }
  };
}

/** "StorageClass x (from Application argocd/y …)": the site's label and, when derived, its origin. */
export function siteWithOrigin(site: MountSite): string {
  return `${site.label}${site.derivedFrom ? ` (from ${site.derivedFrom})` : ''}`;
}

export const REF = {
  nfs5: 'nfs(5) — hard/soft/softerr, timeo, retrans, intr, lookupcache, actimeo: https://man7.org/linux/man-pages/man5/nfs.5.html',
  kernelTimeout:
    'Linux net/sunrpc/xprt.c (xprt_calc_majortimeo, xprt_request_timeout) and fs/nfs/client.c (nfs_init_timeout_values, NFS_DEF_TCP_TIMEO=600, NFS_MAX_TCP_TIMEOUT=600 s)',
  nfs4Soft: 'Linux fs/nfs/nfs4client.c (NFS_CS_NO_RETRANS_TIMEOUT) and net/sunrpc/clnt.c (rpc_check_timeout)',
  hungTask:
    'Linux kernel/hung_task.c; Documentation/admin-guide/sysctl/kernel.rst (hung_task_timeout_secs=120)',
  k8sPvMountOptions:
    'Kubernetes persistent volumes, mount options: https://kubernetes.io/docs/concepts/storage/persistent-volumes/#mount-options',
  k8sStorageClass: 'Kubernetes storage classes: https://kubernetes.io/docs/concepts/storage/storage-classes/',
  k8sDefaultClass:
    'Kubernetes default StorageClass: https://kubernetes.io/docs/concepts/storage/storage-classes/#default-storageclass',
  k8sVolumesNfs:
    'Kubernetes volumes, nfs ("You can\'t specify NFS mount options in a Pod spec"): https://kubernetes.io/docs/concepts/storage/volumes/#nfs',
  k8sValidation:
    'kubernetes pkg/apis/core/validation (PV source immutable, spec.mountOptions editable) and pkg/apis/storage/validation',
  externalProvisioner:
    'kubernetes-csi/external-provisioner pkg/controller/controller.go (MountOptions copied at provisioning)',
  csiNfs:
    'kubernetes-csi/csi-driver-nfs docs: driver-parameters.md, charts values (storageClass.mountOptions)',
  csiNfsDns: 'kubernetes-csi/csi-driver-nfs#359 (svc.cluster.local server fails: the mount runs on the host)',
  longhorn:
    'Longhorn csi/node_server.go and storage-class-parameters docs (nfsOptions replaces vers=4.1,noresvport,timeo=600,retrans=5,softerr); longhorn#6655',
  kubeletCascade: 'kubernetes#74135 (PLEG not healthy on NFS outage), #90593, #94829',
  systemdMount: 'systemd.mount(5): nofail, x-systemd.mount-timeout=',
  cilium:
    'Cilium kube-proxy-free docs (k8sServiceHost/k8sServicePort): https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/',
  ciliumDns: 'cilium#45077, #30609 (agent crashloops: "lookup <api-server> … i/o timeout")',
  ciliumRateLimit:
    'Cilium API rate limiting: https://docs.cilium.io/en/stable/configuration/api-rate-limiting/',
} as const;

/**
 * "errors after 30 s", true to the protocol version: NFSv4 clients do not retransmit on a live TCP
 * connection (NFS_CS_NO_RETRANS_TIMEOUT, fs/nfs/nfs4client.c), so for v4 the computed time holds only
 * when the connection breaks — see nfs-v4-soft-unbounded. `version` undefined means the client
 * negotiates, starting at 4.2.
 */
export function errorAfterPhrase(seconds: number, version: string | undefined): string {
  const v4 = version === undefined || version.startsWith('4');
  return v4
    ? `errors after ${seconds} s once the connection to the server breaks (NFSv4: a server that keeps TCP open but stops answering can stall I/O longer, see nfs-v4-soft-unbounded)`
    : `errors after ${seconds} s`;
}

/** Said with every suggestion of soft/softerr: the price of a bounded mount. */
export const SOFT_DATA_LOSS =
  'Note: soft/softerr turn an outage into I/O errors; software that ignores a failed write or fsync loses data silently — weigh this for any write-heavy data (databases, queues, media imports, backups), not only databases.';

/** Options that set recovery, timeout or retries: replaced wholesale in a suggested fix. */
const RECOVERY_KEYS = new Set(['hard', 'soft', 'softerr', 'timeo', 'retrans', 'intr', 'nointr']);

/**
 * The options a site should have to fail within the node's budget: its own options minus recovery and
 * timing, plus `softerr,timeo=100,retrans=2` (30 s) or tighter when the budget is under 30 s. `set` is
 * that recovery part alone and `replaces` the recovery options written now: a node mount (fstab, live)
 * is fixed by swapping those, not by rewriting every option.
 */
export function suggestBoundedOptions(
  site: MountSite,
  inventory: Inventory,
): {
  options: string[];
  errorAfterSeconds: number;
  set: string[];
  replaces: string[];
  /** The NFS version of the suggested options (written, or the nfsvers=4.1 we add). */
  version: string | undefined;
} {
  const budget = inventory.settings.nodeBudgetSeconds;
  const written = splitOptions(site.written.map((w) => w.text));
  const text = (o: { name: string; value?: string | undefined }) =>
    o.value === undefined ? o.name : `${o.name}=${o.value}`;
  // A live mount lists every effective option (rsize, addr, clientaddr…): suggest only what matters.
  const keep = written
    .filter((o) => !RECOVERY_KEYS.has(o.name))
    .filter((o) => site.origin !== 'mountinfo' || ['vers', 'nfsvers', 'proto'].includes(o.name))
    .map(text);
  // 30 s fits a 120 s budget with room for the several RPCs one syscall can need.
  let timeo = 100;
  if (budget < 40) timeo = Math.max(10, Math.floor((budget * 10) / 4));
  if (!keep.some((k) => /^(nfs)?vers=|^v[234]/.test(k))) keep.unshift('nfsvers=4.1');
  const set = ['softerr', `timeo=${timeo}`, 'retrans=2'];
  const options = [...keep, ...set];
  const parsed = parseNfsOptions(options);
  return {
    options,
    version: parsed.version,
    errorAfterSeconds: errorAfterSeconds(parsed) ?? 0,
    set,
    replaces: written.filter((o) => RECOVERY_KEYS.has(o.name)).map(text),
  };
}

/**
 * The fix for a node mount (fstab entry or live mount): which recovery options to swap, where, and
 * how the change reaches the mount. A live pod volume is changed on its PersistentVolume (and class)
 * and takes effect only when kubelet mounts it again for a new pod.
 */
export function nodeMountFix(site: MountSite, inventory: Inventory): string {
  const s = suggestBoundedOptions(site, inventory);
  const swap = (replaces: string[]) =>
    `${replaces.length > 0 ? `replace ${replaces.join(',')} with` : 'add'} ${s.set.join(',')} (${errorAfterPhrase(s.errorAfterSeconds, s.version)}, instead of never)`;
  if (site.origin === 'fstab')
    return `In ${site.label}, ${swap(s.replaces)}, then remount it (umount ${site.mountPoint} && mount ${site.mountPoint}).`;
  const keeps = 'a live mount keeps its options until it is unmounted and mounted again';
  const pv = site.podVolume;
  if (!pv)
    return `Where this mount is defined (/etc/fstab, a systemd .mount unit, an automount map), ${swap(s.replaces)}; then unmount and mount it again: ${keeps}.`;
  const pvObject = inventory.get('PersistentVolume', pv.volume);
  if (!pvObject && pv.plugin === 'nfs')
    return `Inline volume ${pv.volume} of pod ${pv.pod} cannot carry NFS options (see nfs-inline-volume): move it to a PersistentVolume with spec.mountOptions and ${swap(s.replaces)}, then recreate the pod: ${keeps}.`;
  // The PV's own written options say what to replace there; the live echo is only a fallback.
  const pvSite = pvObject ? sitesOf(inventory, pvObject)[0] : undefined;
  const replaces = pvSite ? suggestBoundedOptions(pvSite, inventory).replaces : s.replaces;
  const sc = pvObject ? inventory.classOfPv(pvObject) : undefined;
  const users = pvObject
    ? inventory
        .claimsOfPv(pvObject)
        .flatMap((pvc) => inventory.workloadsUsingClaim(pvc))
        .map((w) => `${w.kind} ${namespaceOf(w)}/${w.name}`)
    : [];
  return (
    `The options come from PersistentVolume ${pv.volume}${pvObject ? '' : ' (not in the scanned manifests)'}: ` +
    `in its ${pvSite?.optionsField ?? 'spec.mountOptions'} (kubectl patch pv ${pv.volume} …, see pv-mount-options-drift)` +
    (sc ? ` and in StorageClass ${sc.name}'s mountOptions, for new volumes,` : '') +
    ` ${swap(replaces)}. Then recreate pod ${pv.pod}${users.length > 0 ? ` (${users.join(', ')})` : ''} so kubelet mounts the volume again: ${keeps}.`
  );
}

/** Quote a string for a POSIX shell single-quoted argument. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
