/**
 * coredns/coredns chart: the Corefile is rendered from `servers[]` (each `zones[].zone`, `port`,
 * `plugins[]` of `{name, parameters, configBlock}`). We render the same Corefile into the synthetic
 * ConfigMap <namespace>/coredns, so the serve_stale rule reads Helm values like a live cluster; the
 * Corefile points at the `cache` plugin entry when there is one, else at `servers`.
 */
import type { YamlPath } from '../../../model.ts';
import type { ChartDeriver } from './chart.ts';
import { isRecord } from './chart.ts';

export const coredns: ChartDeriver = {
  id: 'coredns',
  matches: (chart) => chart === 'coredns' || chart.endsWith('/coredns') || chart === 'rke2-coredns',
  derive(src) {
    const servers = src.values.servers;
    if (!Array.isArray(servers)) return [];
    let cacheAt: YamlPath | undefined;
    const blocks = servers.map((s, i) => {
      if (!isRecord(s)) return '';
      const zones = Array.isArray(s.zones)
        ? s.zones.map((z) => (isRecord(z) && typeof z.zone === 'string' ? z.zone : '.'))
        : ['.'];
      const port = typeof s.port === 'number' ? s.port : 53;
      const plugins = Array.isArray(s.plugins) ? s.plugins : [];
      const lines = plugins.map((p, j) => {
        if (!isRecord(p) || typeof p.name !== 'string') return '';
        if (p.name === 'cache' && cacheAt === undefined) cacheAt = ['servers', i, 'plugins', j];
        const params = p.parameters === undefined ? '' : ` ${String(p.parameters)}`;
        const block = typeof p.configBlock === 'string' ? ` {\n${p.configBlock}\n}` : '';
        return `    ${p.name}${params}${block}`;
      });
      return `${zones.map((z) => `${z}:${port}`).join(' ')} {\n${lines.join('\n')}\n}`;
    });
    const namespace = src.namespace ?? 'kube-system';
    const at: YamlPath = cacheAt ?? ['servers'];
    return [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'coredns',
        namespace,
        at,
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'coredns', namespace },
          data: { Corefile: blocks.join('\n') },
        },
        valuesPath: () => at,
      },
    ];
  },
};
