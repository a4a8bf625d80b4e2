import { defineFamily } from './types.ts';

// A sandbox failure quotes the CNI error it got; that line is the kubelet's (family kubelet, field cni).
const QUOTED_BY_KUBELET =
  /CreatePodSandbox|Failed to create (?:pod )?sandbox|failed to setup network for sandbox/;

export const CNI = defineFamily('cni', [
  {
    id: 'cni.endpoint-rate-limited',
    severity: 'high',
    needles: ['TooManyRequests', '[429]'],
    // The agent's API rate limiter (endpoint-create: 0.5/s, burst 4, 4 parallel, 15 s max wait) refused a
    // request that waited too long: endpoint creation was slow or stuck, not failing DNS by itself.
    pattern: /\[PUT \/endpoint\/\{id\}\]\[429\]|putEndpointIdTooManyRequests/,
    unless: QUOTED_BY_KUBELET,
    summary: 'Cilium refused endpoint creation: rate limiter wait exceeded (HTTP 429)',
    examples: [
      'plugin type="cilium-cni" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests',
      'level=warning msg="Unable to create endpoint" error="[PUT /endpoint/{id}][429] putEndpointIdTooManyRequests " subsys=cilium-cni',
    ],
    nearMisses: [
      'Failed to create sandbox for pod: plugin type="cilium-cni" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests',
      'GET /v1/healthz 429 Too Many Requests',
    ],
  },
  {
    id: 'cni.endpoint-create-failed',
    severity: 'high',
    needles: ['nable to create endpoint'],
    pattern: /[Uu]nable to create endpoint:? ?(?<error>.*)/,
    unless: QUOTED_BY_KUBELET,
    fields: (g) => (g.error ? { error: g.error.replace(/^error="|"$/g, '') } : {}),
    summary: 'Cilium could not create an endpoint: {error|no reason given}',
    examples: [
      'plugin type="cilium-cni" failed (add): unable to create endpoint: Cilium API client timeout exceeded',
      'level=warning msg="Unable to create endpoint" error="[PUT /endpoint/{id}][500] putEndpointIdFailed  regeneration failed"',
    ],
    nearMisses: [
      '"Failed to create sandbox for pod" err="plugin type=\\"cilium-cni\\" failed (add): unable to create endpoint"',
    ],
  },
  {
    id: 'cni.agent-unreachable',
    severity: 'high',
    needles: ['Cilium API client timeout', 'to Cilium daemon', 'cilium agent client'],
    pattern:
      /Cilium API client timeout exceeded|Unable to connect to Cilium daemon|failed to create cilium agent client/,
    unless: QUOTED_BY_KUBELET,
    summary: 'the CNI plugin could not reach the Cilium agent API',
    examples: [
      'Unable to connect to Cilium daemon: failed to create cilium agent client after 30.000000 seconds timeout: Get "http:///var/run/cilium/cilium.sock/v1/config": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory',
      'Cilium API client timeout exceeded',
    ],
    nearMisses: ['Connected to Cilium daemon after 1.2s'],
  },
  {
    id: 'cni.regeneration-failed',
    severity: 'medium',
    needles: ['egenerat'],
    pattern: /[Rr]egeneration of endpoint failed|[Ee]ndpoint regeneration failed|Error regenerating endpoint/,
    fields: (_g, message) => {
      const id = /endpointID=(?<id>\d+)/.exec(message)?.groups?.id;
      return id ? { endpoint: id } : {};
    },
    summary: 'Cilium endpoint regeneration failed',
    examples: [
      'level=warning msg="Regeneration of endpoint failed" bpfCompilation=0s bpfLoadProg=0s endpointID=1834 error="context canceled" subsys=endpoint',
      'level=error msg="Error regenerating endpoint: BPF template compilation failed" subsys=endpoint',
    ],
    nearMisses: ['level=info msg="Successful endpoint creation" endpointID=1834 subsys=daemon'],
  },
  {
    id: 'cni.plugin-add-failed',
    severity: 'high',
    needles: ['failed (add)'],
    pattern: /plugin type="?(?<plugin>[\w-]+)"? failed \(add\): (?<error>.*)/,
    unless: QUOTED_BY_KUBELET,
    summary: 'CNI plugin {plugin} failed to add a pod: {error}',
    examples: [
      'plugin type="cilium-cni" failed (add): failed to find plugin "cilium-cni" in path [/opt/cni/bin]',
    ],
    nearMisses: ['plugin type="cilium-cni" succeeded (add)'],
  },
]);
