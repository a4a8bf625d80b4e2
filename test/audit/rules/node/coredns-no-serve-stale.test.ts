import { rule } from '../../../../src/audit/rules/node/coredns-no-serve-stale.ts';
import { ruleTable } from './helpers.ts';

// The shape `kubectl -n kube-system get cm coredns -o yaml` prints (kubeadm default Corefile).
const CM = (cache: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        prometheus :9153
        forward . /etc/resolv.conf {
           max_concurrent 1000
        }
${cache}
        loop
        reload
        loadbalance
    }
`;

/** A Flux HelmRelease of the coredns chart: `chart` is its chart reference, `servers` the values.servers items. */
const corednsRelease = (chart: string, servers: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: coredns, namespace: kube-system}
spec:
  ${chart}
  values:
    servers:
${servers}`;

ruleTable(rule, [
  {
    name: 'kubeadm default: cache 30 without serve_stale',
    files: {},
    manifests: CM('        cache 30'),
    expect: [{ file: 'm.yaml', line: 7, has: 'without `serve_stale`' }],
  },
  {
    name: 'no cache plugin at all',
    files: {},
    manifests: CM(''),
    expect: [{ file: 'm.yaml', has: 'no `cache` plugin' }],
  },
  {
    name: 'serve_stale only in a comment does not count',
    files: {},
    manifests: CM('        cache 30 # TODO serve_stale'),
    expect: [{ file: 'm.yaml' }],
  },
  {
    name: 'cache block with serve_stale',
    files: {},
    manifests: CM('        cache 30 {\n           serve_stale 1h\n        }'),
    expect: [],
  },
  {
    name: 'other ConfigMaps are ignored',
    files: {},
    manifests:
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  Corefile: ".:53 { cache }"\n',
    expect: [],
  },
  {
    // Issue 9 false positive: an application's sidecar Corefile is not the cluster DNS.
    name: 'a sidecar Corefile outside kube-system is not the cluster DNS',
    files: {},
    manifests:
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blocky-coredns\n  namespace: network\ndata:\n  Corefile: |\n    .:53 {\n        forward . 1.1.1.1\n        cache 30\n    }\n',
    expect: [],
  },
  {
    // Shape after onedr0p/home-ops kubernetes/apps/kube-system/coredns/app/helmrelease.yaml (coredns chart).
    name: 'coredns chart values: servers[].plugins cache without serve_stale, located at the cache plugin',
    files: {},
    manifests: corednsRelease(
      'chartRef: {kind: OCIRepository, name: coredns}',
      `      - zones:
          - zone: .
            scheme: dns://
            use_tcp: true
        port: 53
        plugins:
          - name: errors
          - name: kubernetes
            parameters: cluster.local in-addr.arpa ip6.arpa
          - name: forward
            parameters: . /etc/resolv.conf
          - name: cache
            parameters: 30
          - name: loop
`,
    ),
    expect: [{ file: 'm.yaml', line: 19, has: 'without `serve_stale`' }],
  },
  {
    name: 'coredns chart values with serve_stale in the cache configBlock',
    files: {},
    manifests: corednsRelease(
      'chart: {spec: {chart: coredns}}',
      `      - zones: [{zone: .}]
        plugins:
          - name: kubernetes
            parameters: cluster.local
          - name: cache
            parameters: 30
            configBlock: |-
              serve_stale 1h
`,
    ),
    expect: [],
  },
]);
