import { defineFamily } from './types.ts';

// A sandbox failure quotes the CNI error it got; that line is the kubelet's (family kubelet, field cni).
const QUOTED_BY_KUBELET =
  /CreatePodSandbox|KillPodSandbox|RunPodSandbox|Failed (?:to )?create (?:pod )?sandbox|failed to setup network for sandbox|failed to destroy network for sandbox/;

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
    needles: ['nable to create endpoint', 'Creation of endpoint failed'],
    pattern: /[Uu]nable to create endpoint:? ?(?<error>.*)|Creation of endpoint failed(?<why> due to [^"]+)?/,
    unless: QUOTED_BY_KUBELET,
    fields: (g, message) => {
      const error = g.error ?? /\berror="(?<e>[^"]+)"/.exec(message)?.groups?.e;
      return error ? { error: error.replace(/^error="|"$/g, '') } : {};
    },
    summary: 'Cilium could not create an endpoint: {error|no reason given}',
    examples: [
      'plugin type="cilium-cni" failed (add): unable to create endpoint: Cilium API client timeout exceeded',
      'level=warning msg="Unable to create endpoint" error="[PUT /endpoint/{id}][500] putEndpointIdFailed  regeneration failed"',
      'level=warning msg="Creation of endpoint failed due to invalid data" endpointID=0 error="IP ipv4:10.17.239.232 is already in use" subsys=daemon',
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
  {
    id: 'cni.api-rate-limited',
    severity: 'medium',
    needles: ['Not processing API request'],
    // The agent's API rate limiter (pkg/rate) turning a request away: endpoint creation is backed up.
    pattern: /Not processing API request\. (?<why>[^"]+)"?(?:.*\bname=(?<api>[\w-]+))?/,
    summary: 'Cilium agent API {api|request} rate-limited: {why}',
    examples: [
      'level=warning msg="Not processing API request. Wait duration for maximum parallel requests exceeds maximum" error="context canceled" name=endpoint-create parallelRequests=4 subsys=rate',
    ],
    nearMisses: [
      'level=info msg="Processing API request with rate limiter" name=endpoint-create subsys=rate',
    ],
  },
  {
    id: 'cni.plugin-error',
    severity: 'high',
    needles: ['Final result of CNI', 'to network ', 'from network ', 'to cni network'],
    // Calico's CNI plugin log and kubelet's cni.go wrapper: the plugin's ADD/DEL failed.
    pattern:
      /Final result of CNI (?<op>ADD|DEL) was an error\. error=(?<error>.+)|Error (?:adding|deleting) \S+ (?:to|from) network (?<network>\S+): (?<error2>.+)|Error while adding to cni network: (?<error3>.+)/,
    unless: QUOTED_BY_KUBELET,
    fields: (g) => ({
      op: g.op ?? '',
      network: g.network ?? '',
      error: g.error ?? g.error2 ?? g.error3 ?? '',
    }),
    summary: 'CNI plugin {op|call} failed: {error}',
    examples: [
      '2022-07-01 09:31:06.551 [ERROR][4035329] plugin.go 121: Final result of CNI ADD was an error. error=stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/',
      'E0907 13:23:01.475528    1668 cni.go:324] Error adding default_nginx-57867cc648-mnx49/218b83cb to network calico/k8s-pod-network: stat /var/lib/calico/nodename: no such file or directory',
    ],
    nearMisses: [
      '2022-07-01 09:31:06.551 [INFO][4035329] plugin.go 121: Final result of CNI ADD was success.',
    ],
  },
]);
