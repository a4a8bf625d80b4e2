/**
 * Causes quoted inside another component's line. kubelet, containerd and k3s report a DNS or CNI failure
 * by quoting its error in their own: `"PullImage from image service failed" err="… lookup quay.io: Try
 * again"` is a DNS failure seen by the kubelet, `failed to setup network for sandbox … plugin
 * type="cilium-cni" failed (add)` a CNI failure that failed a pod. Each entry finds one such quote; the
 * extractor adds its family to the event's families, before the reporting signature's own.
 */
import type { Example, Family } from './types.ts';

export interface QuotedCause {
  /** `<family>.quoted-<what>`. */
  id: `${Family}.quoted-${string}`;
  family: Family;
  /**
   * The family this quote is the cause of, when that is not the dependency model's order: mount.nfs
   * failing to resolve its server is DNS taking down an NFS mount.
   */
  explains?: Family;
  /** Literal substrings, one of which the line must contain before the pattern runs. */
  needles: readonly string[];
  pattern: RegExp;
  /** Real lines (from the corpus) this must find. */
  examples: readonly Example[];
  /** Lines it must not find. */
  nearMisses: readonly Example[];
}

export const QUOTED_CAUSES: readonly QuotedCause[] = [
  {
    id: 'dns.quoted-nfs-server-name',
    family: 'dns',
    explains: 'nfs',
    needles: ['to resolve server'],
    pattern: /\bmount\.nfs4?: Failed to resolve server \S+: /,
    examples: [
      'Output: mount.nfs: Failed to resolve server nfs-server: Name or service not known',
      'mount.nfs: Failed to resolve server <pod name>: Temporary failure in name resolution',
    ],
    nearMisses: ['mount.nfs: Connection timed out'],
  },
  {
    id: 'dns.quoted-lookup',
    family: 'dns',
    needles: ['lookup '],
    // Go's resolver errors: `lookup HOST[ on SERVER:53]: no such host | server misbehaving | Try again |
    // read udp …: i/o timeout | dial udp …: connect: …`.
    pattern:
      /\blookup [^\s:]+(?: on [^\s:]+:\d+)?: (?:Try again|no such host|server misbehaving|(?:read|write|dial) (?:udp|tcp)[^"]*?(?:i\/o timeout|connection refused|network is unreachable|no route to host)|i\/o timeout|Temporary failure in name resolution)/,
    examples: [
      'failed to pull image: dial tcp: lookup quay.io: Try again',
      '"PullImage from image service failed" err="rpc error: code = Unknown desc = failed to resolve reference \\"quay.io/x:1\\": dial tcp: lookup quay.io on 10.43.0.10:53: read udp 10.42.0.1:40114->10.43.0.10:53: i/o timeout"',
    ],
    nearMisses: ['dial tcp 10.43.0.1:443: i/o timeout', 'lookup of cached image succeeded'],
  },
  {
    id: 'dns.quoted-resolver',
    family: 'dns',
    needles: [
      'name resolution',
      'EAI_AGAIN',
      'to resolve server',
      'not resolve host',
      'Name or service not known',
    ],
    pattern:
      /Temporary failure in name resolution|getaddrinfo EAI_AGAIN|[Ff]ailed to resolve server|[Cc]ould not resolve host|Name or service not known/,
    examples: [
      'mount.nfs: Failed to resolve server nfs.example.com: Name or service not known',
      'curl: (6) Could not resolve host: quay.io',
    ],
    nearMisses: ['Resolved server address 10.0.0.5'],
  },
  {
    id: 'cni.quoted-plugin',
    family: 'cni',
    needles: [
      'failed (add)',
      'failed (delete)',
      'failed (del)',
      'network for sandbox',
      'to Cilium daemon',
      'to Cilium agent',
      'TooManyRequests',
      'nable to create endpoint',
      'network plugin is not ready',
      'cni plugin not initialized',
      'subnet.env',
      'calico/node',
      'NetworkPlugin cni failed',
      'CNI ADD was an error',
    ],
    pattern:
      /plugin type=\\*"?[\w-]+\\*"? failed \((?:add|delete|del|check)\)|NetworkPlugin cni failed to (?:set up|teardown) pod|Final result of CNI ADD was an error|failed to (?:setup|set up) network for sandbox|[Uu]nable to connect to Cilium (?:daemon|agent)|putEndpointIdTooManyRequests|[Uu]nable to create endpoint|network plugin is not ready: cni config uninitialized|cni plugin not initialized|\/run\/flannel\/subnet\.env: no such file|stat \/var\/lib\/calico\/nodename: no such file|calico\/node is not ready/,
    examples: [
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "9f2c": plugin type="cilium-cni" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests',
      'Container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    ],
    nearMisses: ['plugin type="cilium-cni" succeeded (add)', 'Successfully created endpoint'],
  },
  {
    id: 'nfs.quoted-mount',
    family: 'nfs',
    needles: ['mount.nfs', 'not responding', 'tale file handle', 'tale NFS file handle'],
    pattern: /\bmount\.nfs4?: |\bnfs: server \S+ not responding|[Ss]tale (?:NFS )?file handle|mount -t nfs/,
    examples: [
      'MountVolume.SetUp failed for volume "pvc-1" : mount failed: exit status 32 Output: mount.nfs: Connection timed out',
      'Unable to attach or mount volumes: stat /var/lib/kubelet/pods/x/volumes/kubernetes.io~nfs/data: stale NFS file handle',
    ],
    nearMisses: ['MountVolume.SetUp failed for volume "config" : configmap "x" not found'],
  },
];

export type QuotedMatch = Pick<QuotedCause, 'family' | 'id' | 'explains'>;

/** The families whose failure a line quotes (each at most once, in table order). */
export function quotedCauses(message: string): QuotedMatch[] {
  const out: QuotedMatch[] = [];
  for (const q of QUOTED_CAUSES) {
    if (out.some((o) => o.family === q.family)) continue;
    if (!q.needles.some((n) => message.includes(n))) continue;
    if (q.pattern.test(message)) out.push({ family: q.family, id: q.id, explains: q.explains });
  }
  return out;
}
