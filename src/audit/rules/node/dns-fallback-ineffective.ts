/** DNS-002: FallbackDNS= configured as if it were a failover; it is not. */
import { defineRule } from '../../rule.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { effectiveUpstreams, nodeFile, REF } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'dns-fallback-ineffective',
    severity: 'medium',
    title: 'systemd-resolved FallbackDNS= never takes over from a dead DNS= server',
    description:
      'resolved.conf(5): "Any per-link DNS servers obtained from systemd-networkd.service(8) take precedence ' +
      'over this setting, as do any servers set via DNS= above or /etc/resolv.conf. This setting is hence only ' +
      'used if no other DNS server information is known." FallbackDNS= is a default for machines with no DNS ' +
      'configuration, not a failover: while DNS= (or a DHCP-provided server) is set, a dead primary is not ' +
      'replaced by the fallback servers. The fix applied after the 2025-11-14 NFS → DNS → Cilium cascade (docs/case-study.md) (DNS=172.16.0.1, FallbackDNS=8.8.8.8 ' +
      '1.1.1.1) therefore leaves the node with a single resolver.',
    fix:
      'List every server in DNS= (e.g. DNS=172.16.0.1 8.8.8.8 1.1.1.1): resolved switches to the next one ' +
      'when the current server stops answering. Keep FallbackDNS= only as a last-resort default, or drop it.',
    inputs: [
      '/etc/systemd/resolved.conf',
      '/etc/systemd/resolved.conf.d/*.conf',
      '/run/systemd/resolved.conf.d/*.conf',
    ],
    references: [REF.resolvedConf],
  },
  check({ inventory, report }) {
    const node = inventory.node;
    const fb = node?.resolved?.fallbackDns;
    if (!node || !fb || fb.value.length === 0) return;
    const dns = node.resolved?.dns;
    const up = effectiveUpstreams(node);
    const primaries = dns && dns.value.length > 0 ? dns.value : (up?.servers.map((s) => s.value) ?? []);
    // Servers learned only from the fallback list itself do not suppress it.
    const others = primaries.filter((p) => !fb.value.includes(p));
    if (others.length === 0) return;
    report({
      message:
        `FallbackDNS=${fb.value.join(' ')} is never used while ${others.join(' ')} is configured` +
        `${dns && dns.value.length > 0 ? ` (DNS= at ${dns.location.file}:${dns.location.line})` : ''}: ` +
        `if ${others.length === 1 ? 'it stops' : 'they stop'} answering, lookups fail instead of falling back.`,
      location: fb.location,
      object: nodeFile(fb.location.file),
      evidence: { dns: primaries, fallbackDns: fb.value, files: node.resolved?.files ?? [] },
      fix: `Put the fallback servers in DNS= (DNS=${[...others, ...fb.value].join(' ')}) so resolved fails over to them.`,
    });
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'ini',
  file: '/etc/systemd/resolved.conf.d/fallback.conf',
  bad: '[Resolve]\nDNS=172.16.0.1\nFallbackDNS=8.8.8.8 1.1.1.1\n',
  good: '[Resolve]\nDNS=172.16.0.1 8.8.8.8 1.1.1.1\n',
};
