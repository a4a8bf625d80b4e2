import { rule } from '../../../../src/audit/rules/node/dns-fallback-ineffective.ts';
import { ruleTable } from './helpers.ts';

ruleTable(rule, [
  {
    name: 'the seed fix: DNS=172.16.0.1 with FallbackDNS=8.8.8.8 1.1.1.1',
    files: {
      '/etc/systemd/resolved.conf.d/fallback.conf':
        '[Resolve]\nDNS=172.16.0.1\nFallbackDNS=8.8.8.8 1.1.1.1\n',
    },
    expect: [
      { file: '/etc/systemd/resolved.conf.d/fallback.conf', line: 3, has: 'never used while 172.16.0.1' },
    ],
  },
  {
    name: 'FallbackDNS in the main file, DNS from DHCP seen in /run/systemd/resolve/resolv.conf',
    files: {
      '/etc/systemd/resolved.conf': '[Resolve]\n#DNS=\nFallbackDNS=1.1.1.1\n',
      '/run/systemd/resolve/resolv.conf': 'nameserver 192.168.1.1\n',
    },
    expect: [{ file: '/etc/systemd/resolved.conf', line: 3, has: '192.168.1.1' }],
  },
  {
    name: 'later drop-in in /run overrides by name order (10- then 20-)',
    files: {
      '/etc/systemd/resolved.conf.d/10-dns.conf': '[Resolve]\nDNS=10.0.0.53\n',
      '/run/systemd/resolved.conf.d/20-fallback.conf': '[Resolve]\nFallbackDNS=8.8.8.8\n',
    },
    expect: [{ file: '/run/systemd/resolved.conf.d/20-fallback.conf', line: 2 }],
  },
  {
    name: 'all servers in DNS=, no FallbackDNS',
    files: { '/etc/systemd/resolved.conf.d/dns.conf': '[Resolve]\nDNS=172.16.0.1 8.8.8.8 1.1.1.1\n' },
    expect: [],
  },
  {
    name: 'FallbackDNS reset to empty by a later drop-in',
    files: {
      '/etc/systemd/resolved.conf': '[Resolve]\nDNS=172.16.0.1\nFallbackDNS=8.8.8.8\n',
      '/etc/systemd/resolved.conf.d/99-nofallback.conf': '[Resolve]\nFallbackDNS=\n',
    },
    expect: [],
  },
  {
    name: 'FallbackDNS alone on a machine with no other DNS: it is what gets used',
    files: { '/etc/systemd/resolved.conf': '[Resolve]\nFallbackDNS=8.8.8.8 1.1.1.1\n' },
    expect: [],
  },
  {
    name: 'keys outside [Resolve] are ignored',
    files: { '/etc/systemd/resolved.conf': '[Other]\nDNS=1.2.3.4\nFallbackDNS=8.8.8.8\n' },
    expect: [],
  },
]);
