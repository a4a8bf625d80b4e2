/**
 * cilium/cilium chart: `k8sServiceHost`, `k8sServicePort`, `kubeProxyReplacement` become the synthetic
 * ConfigMap kube-system/cilium-config with the keys the real one carries (`k8s-service-host`,
 * `k8s-service-port`, `kube-proxy-replacement`), so one rule reads both Helm values and live clusters.
 */
import type { ChartDeriver } from './chart.ts';
import { prefixMapper } from './chart.ts';

const KEYS: readonly [string, string][] = [
  ['k8sServiceHost', 'k8s-service-host'],
  ['k8sServicePort', 'k8s-service-port'],
  ['kubeProxyReplacement', 'kube-proxy-replacement'],
];

export const cilium: ChartDeriver = {
  id: 'cilium',
  matches: (chart) => chart === 'cilium' || chart.endsWith('/cilium'),
  derive(src) {
    const data: Record<string, string> = {};
    for (const [value, key] of KEYS) {
      const v = src.values[value];
      if (v !== undefined && v !== null && typeof v !== 'object') data[key] = String(v);
    }
    if (Object.keys(data).length === 0) return [];
    const namespace = src.namespace ?? 'kube-system';
    return [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'cilium-config',
        namespace,
        at: [],
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace }, data },
        valuesPath: prefixMapper(
          [],
          KEYS.map(([value, key]) => ({ from: ['data', key], to: [value] })),
        ),
      },
    ];
  },
};
