import { rule } from '../../../../src/audit/rules/node/dns-single-resolver.ts';
import { ruleTable } from './helpers.ts';

const STUB =
  '# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n';

ruleTable(rule, [
  {
    name: 'the seed: resolved stub, DNS=172.16.0.1 in a drop-in, FallbackDNS ignored',
    files: {
      '/etc/resolv.conf': { symlink: '/run/systemd/resolve/stub-resolv.conf' },
      '/run/systemd/resolve/stub-resolv.conf': STUB,
      '/etc/systemd/resolved.conf.d/fallback.conf':
        '[Resolve]\nDNS=172.16.0.1\nFallbackDNS=8.8.8.8 1.1.1.1\n',
    },
    expect: [
      {
        file: '/etc/systemd/resolved.conf.d/fallback.conf',
        line: 2,
        has: 'FallbackDNS=8.8.8.8 1.1.1.1 is not used',
      },
    ],
  },
  {
    name: 'the seed node as deployed: resolved lists 172.16.0.1 as its only upstream; the finding points at DNS=',
    files: {
      '/etc/resolv.conf': { symlink: '/run/systemd/resolve/stub-resolv.conf' },
      '/run/systemd/resolve/stub-resolv.conf': STUB,
      '/run/systemd/resolve/resolv.conf':
        '# managed by systemd-resolved\nnameserver 172.16.0.1\nsearch home.lex.la\n',
      '/etc/systemd/resolved.conf.d/fallback.conf':
        '[Resolve]\nDNS=172.16.0.1\nFallbackDNS=8.8.8.8 1.1.1.1\n',
    },
    expect: [
      { file: '/etc/systemd/resolved.conf.d/fallback.conf', line: 2, has: 'systemd-resolved upstreams' },
    ],
  },
  {
    name: 'DHCP-provided single upstream (no DNS=): points at the resolv.conf resolved wrote',
    files: {
      '/etc/resolv.conf': STUB,
      '/run/systemd/resolve/resolv.conf': 'nameserver 192.168.1.1\n',
    },
    expect: [{ file: '/run/systemd/resolve/resolv.conf', line: 1 }],
  },
  {
    name: 'plain resolv.conf with one nameserver',
    files: { '/etc/resolv.conf': 'search home.lan\nnameserver 192.168.1.1\n' },
    expect: [{ file: '/etc/resolv.conf', line: 2, has: '192.168.1.1' }],
  },
  {
    name: 'the same server twice is still one',
    files: { '/etc/resolv.conf': 'nameserver 10.0.0.2\nnameserver 10.0.0.2\n' },
    expect: [{ file: '/etc/resolv.conf', line: 1 }],
  },
  {
    name: 'resolved upstreams listed in /run/systemd/resolve/resolv.conf win over DNS=',
    files: {
      '/etc/resolv.conf': STUB,
      '/etc/systemd/resolved.conf': '[Resolve]\nDNS=172.16.0.1\n',
      '/run/systemd/resolve/resolv.conf': 'nameserver 172.16.0.1\nnameserver 172.16.0.2\n',
    },
    expect: [],
  },
  {
    name: 'two nameservers in resolv.conf',
    files: { '/etc/resolv.conf': 'nameserver 10.0.0.2\nnameserver 10.0.0.3\noptions timeout:1\n' },
    expect: [],
  },
  {
    name: 'DNS= reset by a later drop-in, then two servers',
    files: {
      '/etc/resolv.conf': STUB,
      '/etc/systemd/resolved.conf': '[Resolve]\nDNS=172.16.0.1\n',
      '/etc/systemd/resolved.conf.d/50-reset.conf': '[Resolve]\nDNS=\nDNS=9.9.9.9 149.112.112.112\n',
    },
    expect: [],
  },
  {
    name: 'stub only and nothing else known: no claim',
    files: { '/etc/resolv.conf': STUB },
    expect: [],
  },
]);
