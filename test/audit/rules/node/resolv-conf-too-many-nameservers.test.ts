import { rule } from '../../../../src/audit/rules/node/resolv-conf-too-many-nameservers.ts';
import { ruleTable } from './helpers.ts';

ruleTable(rule, [
  {
    name: 'four nameservers: the fourth is ignored',
    files: {
      '/etc/resolv.conf':
        'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n# backup\nnameserver 8.8.8.8\n',
    },
    expect: [{ file: '/etc/resolv.conf', line: 5, has: 'never asks 8.8.8.8' }],
  },
  {
    name: 'resolved upstream list with five servers',
    files: {
      '/run/systemd/resolve/resolv.conf':
        'nameserver 1.1.1.1\nnameserver 1.0.0.1\nnameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 9.9.9.9\n',
    },
    expect: [{ file: '/run/systemd/resolve/resolv.conf', line: 4 }],
  },
  {
    name: 'three nameservers',
    files: { '/etc/resolv.conf': 'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n' },
    expect: [],
  },
  {
    name: 'commented-out extra nameserver',
    files: {
      '/etc/resolv.conf':
        'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n#nameserver 10.0.0.4\n',
    },
    expect: [],
  },
]);
