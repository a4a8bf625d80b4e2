/**
 * The cause model of one event: what failed (families, cause first), who reported it, what it hit.
 * A signature says what the line reports; the causes it quotes (causes.ts) and the causes the signature
 * implies (`causedBy`) come before it.
 */
import { quotedCauses } from '../signatures/causes.ts';
import { byLayer, FAMILY_LAYER, type Family, type Layer, type Signature } from '../signatures/types.ts';
import type { EventObject } from './types.ts';

/** Tasks that are a resolver: a hung-task report naming one is evidence DNS stalled behind the block. */
const DNS_TASKS = /^(?:coredns|systemd-resolve|dnsmasq|named|unbound|nscd|node-cache)$/;

export interface CauseModel {
  families: Family[];
  layers: Layer[];
  reporter: string;
  object?: EventObject;
}

export function causeModel(
  sig: Pick<Signature, 'family' | 'causedBy'>,
  fields: Record<string, string>,
  message: string,
  program: string | undefined,
): CauseModel {
  const causes: Family[] = [...(sig.causedBy ?? [])];
  const quoted = quotedCauses(message);
  for (const q of quoted) if (q.family !== sig.family) causes.push(q.family);
  let families = [...byLayer(causes.filter((f) => f !== sig.family)), sig.family];
  // A quote that explains another family's failure goes before it, whatever the model's order.
  for (const q of quoted)
    if (
      q.explains &&
      families.indexOf(q.family) > families.indexOf(q.explains) &&
      families.includes(q.explains)
    ) {
      families = families.filter((f) => f !== q.family);
      families.splice(families.indexOf(q.explains), 0, q.family);
    }
  // A blocked resolver: the hung task is the cause, DNS what it took down.
  if (fields.task && DNS_TASKS.test(fields.task) && sig.family === 'hung-task')
    families = [...families.filter((f) => f !== 'dns'), 'dns'];
  const object = objectOf(fields);
  return {
    families,
    layers: families.map((f) => FAMILY_LAYER[f]),
    reporter: reporterOf(program, message),
    ...(object ? { object } : {}),
  };
}

function objectOf(f: Record<string, string>): EventObject | undefined {
  if (f.volume) return { kind: 'volume', name: f.podRef ? `${f.podRef}:${f.volume}` : f.volume };
  if (f.podRef ?? f.pod) return { kind: 'pod', name: (f.podRef ?? f.pod)! };
  if (f.node) return { kind: 'node', name: f.node };
  if (f.server) return { kind: 'nfs-server', name: f.server };
  if (f.task) return { kind: 'task', name: f.pid ? `${f.task}:${f.pid}` : f.task };
  if (f.host) return { kind: 'dns-name', name: f.host };
  if (f.endpoint) return { kind: 'endpoint', name: f.endpoint };
  return undefined;
}

const PROGRAMS: ReadonlyArray<[RegExp, string]> = [
  [/^kernel$/, 'kernel'],
  [/^kubelet$/, 'kubelet'],
  [/^containerd$/, 'containerd'],
  [/^(?:coredns|kube-dns)$/i, 'CoreDNS'],
  [/^systemd-resolved$/, 'systemd-resolved'],
  [/^cilium(?:-agent)?$/, 'cilium-agent'],
  [/^cilium-cni$/, 'cilium-cni'],
  [/^(?:kube-controller-manager|node-controller|node-lifecycle-controller)$/, 'kube-controller-manager'],
  [/^systemd-logind$/, 'systemd-logind'],
  [/^systemd(?:-shutdown)?$/, 'systemd'],
  [/^mount(?:\.nfs4?)?$/, 'mount.nfs'],
  [/^(?:rpc\.gssd|gssproxy)$/, 'rpc.gssd'],
];

/** Binaries that embed the kubelet, containerd and controllers in one process (their journal tag). */
const EMBEDDING = /^(?:k3s|k3s-agent|k3s-server|rke2|rke2-server|rke2-agent|k0s|k0sworker|microk8s)$/;

/** klog source files by component (the `file.go:line]` of a klog header). */
const KLOG_FILES: ReadonlyArray<[RegExp, string]> = [
  [
    /\b(?:remote_image|remote_runtime|pod_workers|kuberuntime_\w+|kubelet(?:_\w+)?|nestedpendingoperations|operation_generator|reconciler(?:_common)?|generic|pleg|csi_\w+|mount_linux|volume_manager|desired_state_of_world_populator)\.go:\d+\]/,
    'kubelet',
  ],
  [/\b(?:node_lifecycle_controller|controller_utils)\.go:\d+\]/, 'kube-controller-manager'],
];

function reporterOf(program: string | undefined, message: string): string {
  if (program !== undefined) {
    for (const [re, name] of PROGRAMS) if (re.test(program)) return name;
    if (EMBEDDING.test(program)) {
      const inner = fromMessage(message);
      return inner ? `${inner} (${program})` : program;
    }
    return program;
  }
  return fromMessage(message) ?? 'unknown';
}

function fromMessage(message: string): string | undefined {
  for (const [re, name] of KLOG_FILES) if (re.test(message)) return name;
  if (/\bsubsys=/.test(message) && /\blevel=/.test(message)) return 'cilium-agent';
  if (message.includes('plugin/errors')) return 'CoreDNS';
  if (/^mount\.nfs4?: /.test(message)) return 'mount.nfs';
  if (/^(?:INFO: task |nfs: server |NFS: |RPC: |\[\s*\d+\.\d+\] )/.test(message)) return 'kernel';
  return undefined;
}
