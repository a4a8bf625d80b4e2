import { rule } from '../../../../src/audit/rules/node/dns-resolver-timeouts.ts';
import { ruleTable } from './helpers.ts';

const POD = (opts: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: web
spec:
  template:
    spec:
      dnsConfig:
        options:
${opts}
      containers:
        - name: api
          image: example/api:1
`;

ruleTable(rule, [
  {
    name: 'default timeout and attempts with two nameservers',
    files: { '/etc/resolv.conf': 'nameserver 10.0.0.2\nnameserver 10.0.0.3\n' },
    expect: [{ file: '/etc/resolv.conf', line: 1, has: 'adds 5 s to every lookup' }],
  },
  {
    name: 'explicit long timeout on the options line',
    files: {
      '/etc/resolv.conf': 'nameserver 10.0.0.2\nnameserver 10.0.0.3\noptions timeout:10 attempts:3\n',
    },
    expect: [{ file: '/etc/resolv.conf', line: 3, has: 'fails after 60 s' }],
  },
  {
    name: 'pod dnsConfig timeout:8',
    files: {},
    manifests: POD('          - name: timeout\n            value: "8"'),
    expect: [{ file: 'm.yaml', line: 11, has: 'timeout:8' }],
  },
  {
    name: 'short timeouts with rotate',
    files: {
      '/etc/resolv.conf': 'nameserver 10.0.0.2\nnameserver 10.0.0.3\noptions timeout:1 attempts:2 rotate\n',
    },
    expect: [],
  },
  {
    name: 'the systemd-resolved stub (resolved handles failover)',
    files: { '/etc/resolv.conf': 'nameserver 127.0.0.53\noptions edns0 trust-ad\n' },
    expect: [],
  },
  {
    name: 'pod dnsConfig with ndots only',
    files: {},
    manifests: POD('          - name: ndots\n            value: "2"'),
    expect: [],
  },
]);
