import { defineFamily } from './types.ts';

/** `pod="ns/name"` (klog structured), `for "name_ns(uid)"` (pod workers) or a leading `ns/name:`. */
export function podFields(message: string): Record<string, string> {
  const klog = /\bpods?="\[?(?<ns>[a-z0-9-]+)\/(?<pod>[a-z0-9.-]+)/.exec(message)?.groups;
  if (klog?.ns && klog.pod) return { namespace: klog.ns, pod: klog.pod, podRef: `${klog.ns}/${klog.pod}` };
  const worker = /for \\?"(?<pod>[a-z0-9.-]+)_(?<ns>[a-z0-9-]+)\(/.exec(message)?.groups;
  if (worker?.ns && worker.pod)
    return { namespace: worker.ns, pod: worker.pod, podRef: `${worker.ns}/${worker.pod}` };
  const lead = /^(?<ns>[a-z0-9-]+)\/(?<pod>[a-z0-9.-]+): /.exec(message)?.groups;
  if (lead?.ns && lead.pod) return { namespace: lead.ns, pod: lead.pod, podRef: `${lead.ns}/${lead.pod}` };
  return {};
}

/**
 * The lookup a pull or sandbox error quotes: host, resolver and the resolver's answer. Go's resolver
 * writes `lookup HOST[ on RESOLVER]: ERR`, ERR being a net error whose last `: ` part is the cause
 * (`read udp A->B: i/o timeout`, `read: connection refused`, `no such host`); it ends with the quoted
 * message that carries it.
 */
export function lookupFields(message: string): Record<string, string> {
  const m = /lookup (?<host>[^\s:]+)(?: on (?<resolver>[^\s:]+:\d+))?: (?<err>[^"\\]*)/.exec(message)?.groups;
  if (!m?.host) return {};
  const out: Record<string, string> = {
    host: m.host,
    lookupError: (m.err ?? '').trim().split(': ').at(-1)!,
  };
  if (m.resolver) out.resolver = m.resolver;
  return out;
}

/** A line quoting the Cilium agent API's 429 (its rate limiter turned the request away). */
export const QUOTES_CNI_429 = /\[429\]|TooManyRequests/;

function cniFields(message: string): Record<string, string> {
  const plugin = /plugin type=\\*"?(?<plugin>[\w-]+)/.exec(message)?.groups?.plugin;
  if (!plugin) return {};
  const out: Record<string, string> = { cni: plugin };
  if (QUOTES_CNI_429.test(message)) out.cniError = 'endpoint creation rate-limited (429)';
  else if (/unable to create endpoint/i.test(message)) out.cniError = 'unable to create endpoint';
  return out;
}

export const KUBELET = defineFamily('kubelet', [
  {
    id: 'kubelet.sandbox-failed',
    severity: 'high',
    needles: ['Sandbox', 'sandbox'],
    // Every way kubelet and the runtime say a pod's sandbox could not be set up or torn down: klog
    // messages, Event reasons, pod_workers' `failed to "CreatePodSandbox"`, the older dockershim wording.
    pattern:
      /FailedCreatePodSandBox|CreatePodSandboxError|KillPodSandboxError|Failed to create (?:sandbox for pod|pod sandbox)|Failed create pod sandbox|failed to setup network for sandbox|failed to (?:destroy|set up) (?:network for sandbox|sandbox container)|RunPodSandbox (?:from runtime service failed|for .*failed).*(?:network|CNI|cni)/,
    fields: (_g, message) => ({ ...podFields(message), ...cniFields(message) }),
    summary: 'pod sandbox not created for {podRef|a pod} ({cniError|no reason in this line})',
    examples: [
      'E1114 03:02:52.402112    1231 kuberuntime_sandbox.go:72] "Failed to create sandbox for pod" err="rpc error: code = Unknown desc = failed to setup network for sandbox \\"4b1f0e\\": plugin type=\\"cilium-cni\\" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests" pod="monitoring/grafana-operator-7d9f8b6c5d-x2x9q"',
      'Failed to create sandbox for pod: plugin type="cilium-cni" failed (add): unable to create endpoint',
      'cert-manager/cert-manager-webhook-6d5b7cf5d9-kq2lp: CreatePodSandboxError',
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "9f2c": plugin type="cilium-cni" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests',
    ],
    nearMisses: [
      // No cause named: the runtime's own timeout, not a sandbox that failed for a reason we track.
      '"RunPodSandbox from runtime service failed" err="context deadline exceeded"',
      'SandboxChanged: Pod sandbox changed, it will be killed and re-created.',
    ],
  },
  {
    id: 'kubelet.failed-mount',
    severity: 'medium',
    needles: ['Mount', 'mount volumes'],
    pattern:
      /MountVolume\.(?:SetUp|MountDevice) failed for volume "(?<volume>[^"]+)"|Unable to attach or mount volumes|FailedMount/,
    fields: (g, message) => ({
      ...podFields(message),
      volume: g.volume,
      nfsError: /mount\.nfs4?: (?<reason>[^"\n]+)/.exec(message)?.groups?.reason?.trim(),
    }),
    summary: 'volume {volume|of a pod} could not be mounted for {podRef|a pod}',
    examples: [
      'MountVolume.SetUp failed for volume "cilium-config-path" : failed to sync configmap cache: timed out waiting for the condition',
      'E1114 03:01:15.118330    1231 nestedpendingoperations.go:348] Operation for "{volumeName:kubernetes.io/secret/6f0c-clustermesh-secrets podName:6f0c}" failed. No retries permitted until 2025-11-14 03:01:47 (durationBeforeRetry 32s). Error: MountVolume.SetUp failed for volume "clustermesh-secrets" (UniqueName: "kubernetes.io/secret/6f0c-clustermesh-secrets") pod "cilium-7xk2p" (UID: "6f0c"): failed to sync secret cache: timed out waiting for the condition',
      'MountVolume.SetUp failed for volume "pvc-1" : mount failed: exit status 32 Output: mount.nfs: Connection timed out',
    ],
    nearMisses: [
      'MountVolume.SetUp succeeded for volume "cilium-config-path"',
      'Successfully mounted volumes for pod',
    ],
  },
  {
    id: 'kubelet.image-pull-lookup',
    severity: 'high',
    needles: ['PullImage', 'to pull', 'ErrImagePull', 'pulling image', 'Pull image'],
    // An image pull that failed because the registry name did not resolve: a DNS symptom seen by kubelet.
    pattern:
      /(?:PullImage|Pull image|[Ff]ailed to pull|ErrImagePull|pulling image).*lookup (?<host>[^\s:]+)(?: on (?<resolver>[^\s:]+:[0-9]+))?: /,
    fields: (_g, message) => ({
      ...podFields(message),
      ...lookupFields(message),
      // `image="…"` (klog), `image \"…\"` (containerd) or `PullImage "…"` (dockershim).
      image: /image[= ]\\?"(?<image>[^"\\]+)/i.exec(message)?.groups?.image,
    }),
    summary: 'image pull failed: lookup of {host} failed ({lookupError})',
    examples: [
      'failed to pull image: dial tcp: lookup ghcr.io: Try again',
      'E1114 02:58:41.220117    1224 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"quay.io/cilium/operator-generic:v1.16.3\\": failed to resolve reference \\"quay.io/cilium/operator-generic:v1.16.3\\": failed to do request: Head \\"https://quay.io/v2/cilium/operator-generic/manifests/v1.16.3\\": dial tcp: lookup quay.io on 10.43.0.10:53: read udp 10.42.0.1:40114->10.43.0.10:53: i/o timeout" image="quay.io/cilium/operator-generic:v1.16.3"',
    ],
    nearMisses: [
      'Successfully pulled image "quay.io/cilium/cilium:v1.16.3" in 2.1s',
      'failed to pull image "busybox": manifest unknown',
    ],
  },
]);
