import { examples, rule } from '../../../../src/audit/rules/manifest/cilium-api-host-hostname.ts';
import { ruleTable } from './harness.ts';

const cm = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cilium-config
  namespace: kube-system
data:
${data}`;

const DS = (dnsPolicy: string, env = '') => `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: cilium, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: cilium}}
  template:
    metadata: {labels: {k8s-app: cilium}}
    spec:
      hostNetwork: true
      dnsPolicy: ${dnsPolicy}
      containers:
        - name: cilium-agent
          image: quay.io/cilium/cilium:v1.16.1@sha256:0b4a3ab41a4760d86b7fc945b8783747ba1f2e0d4f5d0a8f8e3c5b2a1d0e9f8a
          command: [cilium-agent]
${env}`;

ruleTable(
  rule,
  {
    valid: [
      {
        name: 'an IP address',
        yaml: cm(
          '  kube-proxy-replacement: "true"\n  k8s-service-host: 172.16.0.5\n  k8s-service-port: "6443"\n',
        ),
      },
      {
        name: 'kube-proxy replacement off',
        yaml: cm('  kube-proxy-replacement: "false"\n  k8s-service-host: api.lan\n'),
      },
      {
        name: 'auto (read from cluster-info)',
        yaml: cm('  kube-proxy-replacement: "true"\n  k8s-service-host: auto\n'),
      },
      {
        name: 'empty host in the ConfigMap but an IP in the agent env',
        yaml:
          cm('  kube-proxy-replacement: "true"\n') +
          DS(
            'ClusterFirst',
            '          env:\n            - name: KUBERNETES_SERVICE_HOST\n              value: "10.0.0.1"\n',
          ),
      },
    ],
    invalid: [
      {
        name: 'a hostname (high, at the k8s-service-host line)',
        yaml: cm(
          '  kube-proxy-replacement: "true"\n  k8s-service-host: k8s-api.home.lex.la\n  k8s-service-port: "6443"\n',
        ),
        findings: [
          {
            severity: 'high',
            line: 8,
            message: ['k8s-api.home.lex.la', 'DNS name'],
            evidence: { kubeProxyReplacement: 'true' },
          },
        ],
      },
      {
        name: 'strict mode with an empty host',
        yaml: cm('  kube-proxy-replacement: strict\n  k8s-service-host: ""\n'),
        findings: [{ severity: 'high', line: 8, message: ['k8s-service-host is empty'] }],
      },
      {
        name: 'a hostname plus dnsPolicy ClusterFirstWithHostNet: circular (critical)',
        yaml:
          cm('  kube-proxy-replacement: "true"\n  k8s-service-host: api.cluster.lan\n') +
          DS('ClusterFirstWithHostNet'),
        findings: [{ severity: 'critical', line: 8, message: ['a circle'] }],
      },
      {
        name: 'agent env KUBERNETES_SERVICE_HOST as a hostname',
        yaml: DS(
          'ClusterFirst',
          '          env:\n            - name: KUBERNETES_SERVICE_HOST\n              value: api.lan\n',
        ),
        findings: [
          { severity: 'high', line: 18, name: 'cilium', message: ['KUBERNETES_SERVICE_HOST=api.lan'] },
        ],
      },
    ],
  },
  examples,
);
