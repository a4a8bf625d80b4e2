/** DNS-001: the node's lookups depend on one upstream nameserver. */
import { defineRule } from '../../rule.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { effectiveUpstreams, nodeFile, REF } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'dns-single-resolver',
    severity: 'high',
    title: 'The node resolves names through one nameserver',
    description:
      'Every lookup on the node — kubelet and containerd pulling images, the NFS client mounting a server by ' +
      'name, the Cilium agent resolving its API host — goes to the nameservers in /etc/resolv.conf, or, when ' +
      "that is the systemd-resolved stub (127.0.0.53), to resolved's upstreams. With only one, its outage is " +
      'a node-wide DNS outage: glibc reports "Temporary failure in name resolution" and Go/musl programs ' +
      '"lookup quay.io: Try again" (EAI_AGAIN), as at 02:58 in the 2025-11-14 NFS → DNS → Cilium cascade (docs/case-study.md). FallbackDNS= does not count: ' +
      'resolved uses it only when no other server is known (resolved.conf(5)).',
    fix:
      'Configure at least two independent nameservers: DNS=a b in resolved.conf (or a drop-in), or two ' +
      '`nameserver` lines in /etc/resolv.conf, with short timeouts (options timeout:2 attempts:2 rotate).',
    inputs: [
      '/etc/resolv.conf',
      '/run/systemd/resolve/resolv.conf',
      '/etc/systemd/resolved.conf (+ drop-ins)',
    ],
    references: [REF.resolvConf, REF.resolvedConf],
  },
  check({ inventory, report }) {
    const node = inventory.node;
    if (!node) return;
    const up = effectiveUpstreams(node);
    if (up?.servers.length !== 1) return;
    const only = up.servers[0]!;
    const fallback = node.resolved?.fallbackDns?.value ?? [];
    report({
      message:
        `All DNS lookups on the node go to one nameserver, ${only.value} (from ${up.via}). ` +
        'When it stops answering, image pulls, NFS mounts by hostname and anything else that resolves names fail' +
        (fallback.length > 0
          ? ` — FallbackDNS=${fallback.join(' ')} is not used while ${only.value} is configured.`
          : '.'),
      location: only.location,
      object: nodeFile(only.location.file),
      evidence: { nameservers: up.servers.map((s) => s.value), via: up.via, fallbackDns: fallback },
    });
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'text',
  file: '/etc/resolv.conf',
  bad: 'search home.lan\nnameserver 192.168.1.1\n',
  good: 'search home.lan\nnameserver 192.168.1.1\nnameserver 192.168.1.2\noptions timeout:1 attempts:2 rotate\n',
};
