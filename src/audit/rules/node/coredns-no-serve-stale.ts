/** DNS-005: CoreDNS answers nothing once its upstream is gone, though it could serve cached answers. */
import { getRecord, objectRef } from '../../model.ts';
import { defineRule } from '../../rule.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { REF } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'coredns-no-serve-stale',
    severity: 'medium',
    title: 'CoreDNS cache does not serve stale answers when the upstream is down',
    description:
      "CoreDNS's `cache` plugin drops an entry when its TTL expires; if the upstream resolver is down at that " +
      'moment, every pod lookup of an external name (registries, object stores, APIs) fails. With ' +
      '`serve_stale [DURATION]` (default 1 h) the cache keeps answering with the expired record while it ' +
      'retries the upstream (CoreDNS plugin/cache README), turning an upstream outage into a non-event for ' +
      'names the cluster already knew. Only the cluster DNS is checked (kube-system, or a Corefile with the ' +
      "`kubernetes` plugin): an application's own sidecar Corefile is not what pods resolve through.",
    fix: 'In the Corefile server block, use `cache 30 {\\n    serve_stale 1h\\n}` (or add `serve_stale` to the existing cache block).',
    inputs: ['ConfigMap kube-system/coredns (Corefile)', 'coredns Helm chart values (servers[].plugins)'],
    references: [REF.corednsCache],
  },
  check({ inventory, report }) {
    for (const cm of inventory.ofKind('ConfigMap')) {
      if (!cm.name.includes('coredns')) continue;
      const corefile = getRecord(cm.body, ['data'])?.Corefile;
      if (typeof corefile !== 'string') continue;
      const code = corefile.replace(/#.*$/gm, '');
      // The cluster DNS: in kube-system, or (namespace set at deploy time) serving the cluster zone.
      const clusterDns =
        cm.namespace === 'kube-system' || (cm.namespace === undefined && /^\s*kubernetes\b/m.test(code));
      if (!clusterDns) continue;
      if (/\bserve_stale\b/.test(code)) continue;
      const hasCache = /^\s*cache\b/m.test(code);
      report({
        message: `ConfigMap ${cm.namespace ?? 'default'}/${cm.name}: the Corefile ${hasCache ? 'has `cache` without `serve_stale`' : 'has no `cache` plugin'}, so lookups fail as soon as cached entries expire during an upstream outage.`,
        location: cm.locate(['data', 'Corefile']),
        object: objectRef(cm),
        evidence: { cache: hasCache, serveStale: false },
      });
    }
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'yaml',
  bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: |\n    .:53 {\n        forward . /etc/resolv.conf\n        cache 30\n    }\n',
  good: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: |\n    .:53 {\n        forward . /etc/resolv.conf\n        cache 30 {\n            serve_stale 1h\n        }\n    }\n',
};
