import { examples, rule } from '../../../../src/audit/rules/manifest/nfs-soft-too-short.ts';
import { ruleTable } from './harness.ts';

const pv = (opts: string) => `apiVersion: v1
kind: PersistentVolume
metadata: {name: media}
spec:
  mountOptions:
${opts
  .split(',')
  .map((o) => `    - ${o}`)
  .join('\n')}
  nfs: {server: 10.0.0.5, path: /media}
`;

ruleTable(
  rule,
  {
    valid: [
      { name: 'hard mounts never error', yaml: pv('hard,timeo=10,retrans=0') },
      { name: 'exactly 10 s is enough', yaml: pv('soft,timeo=50,retrans=1') },
      { name: "the case study's AFTER numbers (30 s)", yaml: pv('nfsvers=4.1,soft,timeo=100,retrans=2,tcp') },
    ],
    invalid: [
      {
        name: 'soft timeo=10 retrans=1: 2 s, at the timeo entry',
        yaml: pv('nfsvers=4.1,soft,timeo=10,retrans=1'),
        findings: [{ severity: 'medium', line: 8, message: ['errors after 2 s (timeo=10, retrans=1)'] }],
      },
      {
        name: 'UDP defaults: 8.8 s',
        yaml: pv('vers=3,softerr,proto=udp'),
        findings: [{ severity: 'medium', message: ['8.8 s', 'udp'] }],
      },
    ],
  },
  examples,
);
