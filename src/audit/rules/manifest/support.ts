/**
 * Shared pieces of the manifest rules: the example type their docs and tests share, reference strings
 * (sources as in ../shared/knowledge.md), and option suggestions used in fixes.
 */

import { errorAfterSeconds, parseNfsOptions, splitOptions } from '../../../nfs/mount-options.ts';
import type { MountSite } from '../../analysis/mount-sites.ts';
import type { Inventory } from '../../inventory.ts';

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

/** Options that set recovery, timeout or retries: replaced wholesale in a suggested fix. */
const RECOVERY_KEYS = new Set(['hard', 'soft', 'softerr', 'timeo', 'retrans', 'intr', 'nointr']);

/**
 * The options a site should have to fail within the node's budget: its own options minus recovery and
 * timing, plus `softerr,timeo=100,retrans=2` (30 s) or tighter when the budget is under 30 s.
 */
export function suggestBoundedOptions(
  site: MountSite,
  inventory: Inventory,
): { options: string[]; errorAfterSeconds: number } {
  const budget = inventory.settings.nodeBudgetSeconds;
  // A live mount lists every effective option (rsize, addr, clientaddr…): suggest only what matters.
  const keep = splitOptions(site.written.map((w) => w.text))
    .filter((o) => !RECOVERY_KEYS.has(o.name))
    .filter((o) => site.origin !== 'mountinfo' || ['vers', 'nfsvers', 'proto'].includes(o.name))
    .map((o) => (o.value === undefined ? o.name : `${o.name}=${o.value}`));
  // 30 s fits a 120 s budget with room for the several RPCs one syscall can need.
  let timeo = 100;
  if (budget < 40) timeo = Math.max(10, Math.floor((budget * 10) / 4));
  if (!keep.some((k) => /^(nfs)?vers=|^v[234]/.test(k))) keep.unshift('nfsvers=4.1');
  const options = [...keep, 'softerr', `timeo=${timeo}`, 'retrans=2'];
  return { options, errorAfterSeconds: errorAfterSeconds(parseNfsOptions(options)) ?? 0 };
}

/** Quote a string for a POSIX shell single-quoted argument. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
