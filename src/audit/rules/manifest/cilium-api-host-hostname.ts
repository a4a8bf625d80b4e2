/** CNI-001..003: Cilium kube-proxy replacement told to reach the API server by a name (or not at all). */
import { classifyServer } from '../../../nfs/server.ts';
import { imageRepository } from '../../analysis/apps.ts';
import { podSpecPath } from '../../inventory.ts';
import { getArray, getRecord, getString, type K8sObject, objectRef } from '../../model.ts';
import { defineRule } from '../../rule.ts';
import { REF, type RuleExamples, withEdits } from './support.ts';

const KPR_ON = new Set(['true', 'strict']);

export const rule = defineRule({
  meta: {
    id: 'cilium-api-host-hostname',
    severity: 'high',
    title: 'Cilium kube-proxy replacement reaches the API server through DNS (or has no address)',
    description:
      'With kube-proxy replacement there is no kube-proxy to make the `kubernetes` Service work, so the ' +
      "Cilium agent must be told the API server's address (`k8sServiceHost`/`k8sServicePort`, ConfigMap " +
      'keys `k8s-service-host`/`k8s-service-port`; Cilium kube-proxy-free docs). A hostname there is a ' +
      'start-up dependency on DNS: when the resolver is down the agent logs "lookup <api-server> on ' +
      '<dns>:53 … i/o timeout", fails to start and crashloops, and with it every pod network on the node ' +
      '(cilium#45077). An empty host leaves the agent unable to reach the API at all. With `dnsPolicy: ' +
      'ClusterFirstWithHostNet` the name would be resolved by CoreDNS, which needs Cilium to run — a circle ' +
      '(an inference from the dependency chain; reported as critical).',
    fix: "Set k8sServiceHost to an IP address (the API server, a kube-vip/keepalived VIP, or a node-local proxy such as 127.0.0.1 with k3s/kubespray's local API proxy) and k8sServicePort to its port.",
    inputs: [
      'ConfigMap cilium-config (kube-proxy-replacement, k8s-service-host)',
      'Cilium Helm values (k8sServiceHost, kubeProxyReplacement)',
      'Cilium DaemonSet env KUBERNETES_SERVICE_HOST and dnsPolicy',
    ],
    references: [
      REF.cilium,
      REF.ciliumDns,
      'Cilium helm values: https://docs.cilium.io/en/stable/helm-reference/',
    ],
  },
  check({ inventory, report }) {
    const agents = inventory.ofKind('DaemonSet').filter(isCiliumAgent);
    const circular = agents.find(
      (ds) => getString(ds.body, [...podSpecPath(ds)!, 'dnsPolicy']) === 'ClusterFirstWithHostNet',
    );
    const circle = circular
      ? ` DaemonSet ${circular.name} uses dnsPolicy ClusterFirstWithHostNet, so the name goes to CoreDNS, which needs Cilium running: a circle.`
      : '';
    const envHosts = agents.flatMap((ds) => envServiceHosts(ds));

    for (const cm of inventory.ofKind('ConfigMap')) {
      if (cm.name !== 'cilium-config') continue;
      const data = getRecord(cm.body, ['data']) ?? {};
      const kpr = String(data['kube-proxy-replacement'] ?? '').toLowerCase();
      if (!KPR_ON.has(kpr)) continue;
      const raw = data['k8s-service-host'];
      const host = typeof raw === 'string' ? raw.trim() : '';
      const evidence = {
        kubeProxyReplacement: kpr,
        k8sServiceHost: host,
        k8sServicePort: data['k8s-service-port'],
        dnsPolicy: circular ? 'ClusterFirstWithHostNet' : undefined,
        derivedFrom: cm.derivedFrom,
      };
      if (host === '') {
        if (envHosts.length > 0) continue; // the DaemonSet sets it through the environment instead
        report({
          message: `ConfigMap ${cm.namespace ?? 'default'}/cilium-config${cm.derivedFrom ? ` (from ${cm.derivedFrom})` : ''} enables kube-proxy replacement (${kpr}) but k8s-service-host is empty: without kube-proxy the agent has no way to reach the API server.`,
          location: cm.locate(['data', raw === undefined ? 'kube-proxy-replacement' : 'k8s-service-host']),
          object: objectRef(cm),
          evidence,
          fix: "Set k8sServiceHost (k8s-service-host) to the API server's IP or VIP and k8sServicePort to its port.",
        });
        continue;
      }
      if (host === 'auto' || classifyServer(host) === 'ip') continue;
      report({
        severity: circular ? 'critical' : 'high',
        message: `ConfigMap ${cm.namespace ?? 'default'}/cilium-config${cm.derivedFrom ? ` (from ${cm.derivedFrom})` : ''} enables kube-proxy replacement (${kpr}) with k8s-service-host ${host}, a DNS name: when DNS is down the agent cannot start and the node loses pod networking.${circle}`,
        location: cm.locate(['data', 'k8s-service-host']),
        object: objectRef(cm),
        evidence,
      });
    }

    for (const e of envHosts) {
      if (classifyServer(e.value) === 'ip') continue;
      report({
        severity: circular ? 'critical' : 'high',
        message: `DaemonSet ${e.ds.namespace ?? 'default'}/${e.ds.name} sets KUBERNETES_SERVICE_HOST=${e.value}, a DNS name: the Cilium agent needs DNS before it can reach the API server.${circle}`,
        location: e.ds.locate(e.path),
        object: objectRef(e.ds),
        evidence: {
          KUBERNETES_SERVICE_HOST: e.value,
          dnsPolicy: circular ? 'ClusterFirstWithHostNet' : undefined,
        },
      });
    }
  },
});

function isCiliumAgent(ds: K8sObject): boolean {
  const specPath = podSpecPath(ds)!;
  return getArray(ds.body, [...specPath, 'containers']).some((c) => {
    const image = getString(c, ['image']);
    return image !== undefined && /(^|\/)cilium\/cilium(-dev)?$/.test(imageRepository(image));
  });
}

function envServiceHosts(ds: K8sObject): { ds: K8sObject; value: string; path: (string | number)[] }[] {
  const specPath = podSpecPath(ds)!;
  const out: { ds: K8sObject; value: string; path: (string | number)[] }[] = [];
  getArray(ds.body, [...specPath, 'containers']).forEach((c, ci) => {
    getArray(c, ['env']).forEach((e, ei) => {
      const value = getString(e, ['value']);
      if (getString(e, ['name']) === 'KUBERNETES_SERVICE_HOST' && value)
        out.push({ ds, value, path: [...specPath, 'containers', ci, 'env', ei, 'value'] });
    });
  });
  return out;
}

const bad = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cilium-config
  namespace: kube-system
data:
  kube-proxy-replacement: "true"
  k8s-service-host: k8s-api.home.lex.la
  k8s-service-port: "6443"
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, ['k8s-service-host: k8s-api.home.lex.la', 'k8s-service-host: 172.16.0.5']),
};
