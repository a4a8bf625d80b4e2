import { defineFamily } from './types.ts';

// Lines whose DNS failure is quoted inside an image pull or a sandbox error are kubelet events (with the
// looked-up host as a field), so each line has exactly one family.
const QUOTED_BY_KUBELET =
  /PullImage|Pull image|[Ff]ailed to pull|ErrImagePull|pulling image|CreatePodSandbox|RunPodSandbox|Failed (?:to )?create (?:pod )?sandbox/;

export const DNS = defineFamily('dns', [
  {
    id: 'dns.lookup-timeout',
    severity: 'high',
    needles: ['i/o timeout'],
    // Go's resolver: `lookup HOST on SERVER:53: read udp A->B: i/o timeout`.
    pattern: /\blookup (?<host>[^\s:]+) on (?<resolver>\S+): .*i\/o timeout/,
    unless: QUOTED_BY_KUBELET,
    summary: 'DNS lookup of {host} timed out at {resolver}',
    examples: [
      'lookup quay.io on 10.43.0.10:53: read udp 10.42.0.17:46810->10.43.0.10:53: i/o timeout',
      'level=error msg="Failed to start hive" error="lookup k8s-api.home.lex.la on 172.16.0.1:53: dial udp 172.16.0.1:53: i/o timeout"',
    ],
    nearMisses: [
      'dial tcp 10.43.0.1:443: i/o timeout',
      'E1114 02:58:41.000000 1224 remote_image.go:180] "PullImage from image service failed" err="dial tcp: lookup quay.io on 10.43.0.10:53: read udp 10.42.0.1:5353->10.43.0.10:53: i/o timeout"',
    ],
  },
  {
    id: 'dns.server-misbehaving',
    severity: 'high',
    needles: ['server misbehaving'],
    pattern: /\blookup (?<host>[^\s:]+) on (?<resolver>\S+): server misbehaving/,
    unless: QUOTED_BY_KUBELET,
    summary: 'DNS server {resolver} failed the lookup of {host} (SERVFAIL)',
    examples: ['dial tcp: lookup ghcr.io on 10.43.0.10:53: server misbehaving'],
    nearMisses: ['dial tcp: lookup ghcr.io on 10.43.0.10:53: no such host'],
  },
  {
    id: 'dns.no-such-host',
    severity: 'low',
    needles: ['no such host'],
    pattern: /\blookup (?<host>[^\s:]+)(?: on (?<resolver>\S+))?: no such host/,
    unless: QUOTED_BY_KUBELET,
    summary: 'DNS says {host} does not exist (NXDOMAIN)',
    examples: [
      'dial tcp: lookup truenas.home.lex.la on 10.43.0.10:53: no such host',
      'Get "https://registry.local/v2/": dial tcp: lookup registry.local: no such host',
    ],
    nearMisses: ['ssh: Could not resolve hostname nosuch: Name or service not known'],
  },
  {
    id: 'dns.try-again',
    severity: 'high',
    needles: ['Try again'],
    // EAI_AGAIN as musl words it (glibc: "Temporary failure in name resolution"): a temporary resolver
    // failure — timeout, unreachable server or SERVFAIL — not NXDOMAIN.
    pattern: /\blookup (?<host>[^\s:]+)(?: on (?<resolver>\S+))?: Try again/,
    unless: QUOTED_BY_KUBELET,
    summary: 'DNS lookup of {host} failed temporarily (EAI_AGAIN)',
    examples: ['dial tcp: lookup quay.io: Try again', 'dial tcp: lookup ghcr.io: Try again'],
    nearMisses: [
      'failed to pull image: dial tcp: lookup ghcr.io: Try again',
      'Resource temporarily unavailable, Try again later',
    ],
  },
  {
    id: 'dns.eai-again',
    severity: 'high',
    needles: ['EAI_AGAIN'],
    pattern: /\bgetaddrinfo EAI_AGAIN (?<host>\S+)/,
    unless: QUOTED_BY_KUBELET,
    summary: 'DNS lookup of {host} failed temporarily (EAI_AGAIN)',
    examples: ['Error: getaddrinfo EAI_AGAIN grafana.com'],
    nearMisses: ['Error: getaddrinfo ENOTFOUND grafana.com'],
  },
  {
    id: 'dns.temporary-failure',
    severity: 'high',
    needles: ['name resolution'],
    pattern: /(?:(?<host>[\w.-]+)'?:? )?\(?(?:\[Errno -3\] )?Temporary failure in name resolution/,
    unless: QUOTED_BY_KUBELET,
    summary: 'DNS lookup of {host|a name} failed temporarily (glibc)',
    examples: [
      'ping: quay.io: Temporary failure in name resolution',
      "Failed to resolve 'apt.releases.hashicorp.com' ([Errno -3] Temporary failure in name resolution)",
      'curl: (6) Could not resolve host: quay.io; Temporary failure in name resolution',
    ],
    nearMisses: ['Permanent failure in name resolution service', 'ping: quay.io: Name or service not known'],
  },
  {
    id: 'dns.coredns-error',
    severity: 'high',
    needles: ['plugin/errors'],
    // CoreDNS errors plugin: `[ERROR] plugin/errors: 2 NAME. TYPE: upstream error`.
    // The CoreDNS reader may have taken the `[ERROR]` level off already.
    pattern: /(?:\[ERROR\] )?plugin\/errors: \d+ (?<host>\S+) (?<qtype>[A-Z]+): (?<error>.*)/,
    fields: (g) => ({
      host: g.host?.replace(/\.$/, ''),
      qtype: g.qtype,
      error: g.error,
      resolver: /->(?<resolver>[^\s:]+:\d+)/.exec(g.error ?? '')?.groups?.resolver,
    }),
    summary: 'CoreDNS could not answer {host} {qtype}: {error}',
    examples: [
      '[ERROR] plugin/errors: 2 quay.io. A: read udp 10.42.0.12:52044->172.16.0.1:53: i/o timeout',
      '[ERROR] plugin/errors: 2 ghcr.io. AAAA: dial udp 172.16.0.1:53: connect: network is unreachable',
      'plugin/errors: 2 registry-1.docker.io. A: read udp 10.42.1.7:48213->10.0.0.1:53: i/o timeout',
    ],
    nearMisses: ['[INFO] plugin/reload: Running configuration SHA512 = 0d6e4e'],
  },
  {
    id: 'dns.resolved-degraded',
    severity: 'medium',
    needles: ['degraded feature set'],
    // systemd ≥ 240: `… set UDP instead of UDP+EDNS0 for …`; older: `… set (UDP) for …`.
    pattern:
      /Using degraded feature set (?:\((?<old>[^)]+)\)|(?<featureSet>\S+) instead of (?<previous>\S+)) for DNS server (?<resolver>\S+)/,
    fields: (g) => ({
      resolver: (g.resolver ?? '').replace(/\.$/, ''),
      featureSet: g.featureSet ?? g.old ?? '',
      previous: g.previous ?? '',
    }),
    summary: 'systemd-resolved degraded DNS server {resolver} to {featureSet}',
    examples: [
      'Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 172.16.0.1.',
      'Using degraded feature set TCP instead of UDP for DNS server 172.16.0.1.',
      'Using degraded feature set (UDP) for DNS server a.b.c.d.',
    ],
    nearMisses: ['Grace period over, resuming full feature set (UDP+EDNS0) for DNS server 172.16.0.1.'],
  },
  {
    id: 'dns.resolved-timeout',
    severity: 'high',
    needles: ['now complete with <'],
    // systemd-resolved (debug level) transaction results that mean the upstream server did not answer.
    pattern:
      /Transaction \d+ for <(?<host>\S+) IN (?<qtype>\w+)> on scope dns on (?<link>[^/\s]+)\/(?<resolver>\S+) now complete with <(?<result>timeout|attempts-max-reached|network-down)>/,
    summary: 'systemd-resolved: no answer for {host} {qtype} from {resolver} ({result})',
    examples: [
      'Transaction 41725 for <quay.io IN A> on scope dns on eth0/172.16.0.1 now complete with <attempts-max-reached> from none (unsigned).',
      'Transaction 5113 for <ghcr.io IN AAAA> on scope dns on eth0/* now complete with <timeout> from none (unsigned).',
    ],
    nearMisses: [
      'Transaction 41726 for <quay.io IN A> on scope dns on eth0/172.16.0.1 now complete with <success> from network (unsigned).',
    ],
  },
]);
