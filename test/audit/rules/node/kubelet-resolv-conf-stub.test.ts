import { rule } from '../../../../src/audit/rules/node/kubelet-resolv-conf-stub.ts';
import { ruleTable } from './helpers.ts';

const STUB = 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n';
const KUBELET = (extra: string) =>
  `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS:\n  - 10.96.0.10\n${extra}`;

ruleTable(
  rule,
  [
    {
      name: 'resolvConf unset (default /etc/resolv.conf) on a resolved host',
      files: {
        '/var/lib/kubelet/config.yaml': KUBELET(''),
        '/etc/resolv.conf': { symlink: '../run/systemd/resolve/stub-resolv.conf' },
        '/run/systemd/resolve/stub-resolv.conf': STUB,
      },
      expect: [{ file: '/var/lib/kubelet/config.yaml', has: 'default: resolvConf is not set' }],
    },
    {
      name: 'resolvConf explicitly /etc/resolv.conf (stub)',
      files: {
        '/var/lib/kubelet/config.yaml': KUBELET('resolvConf: /etc/resolv.conf\n'),
        '/etc/resolv.conf': STUB,
      },
      expect: [{ file: '/var/lib/kubelet/config.yaml', line: 5 }],
    },
    {
      name: 'resolvConf points at the real upstream list',
      files: {
        '/var/lib/kubelet/config.yaml': KUBELET('resolvConf: /run/systemd/resolve/resolv.conf\n'),
        '/etc/resolv.conf': STUB,
        '/run/systemd/resolve/resolv.conf': 'nameserver 172.16.0.1\n',
      },
      expect: [],
    },
    {
      name: 'no systemd-resolved: /etc/resolv.conf has real servers',
      files: { '/var/lib/kubelet/config.yaml': KUBELET(''), '/etc/resolv.conf': 'nameserver 10.0.0.2\n' },
      expect: [],
    },
    {
      name: 'no kubelet config: not a kubelet node, no claim',
      files: { '/etc/resolv.conf': STUB },
      expect: [],
    },
  ],
  {
    '/etc/resolv.conf': 'nameserver 127.0.0.53\noptions edns0 trust-ad\n',
    '/run/systemd/resolve/resolv.conf': 'nameserver 172.16.0.1\n',
  },
);
