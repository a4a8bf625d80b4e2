/** DNS-006: glibc reads at most three nameservers; the rest give a false sense of redundancy. */
import { defineRule } from '../../rule.ts';
import { GLIBC_MAXNS } from '../../sources/node/resolv-conf.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { nodeFile, REF } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'resolv-conf-too-many-nameservers',
    severity: 'low',
    title: 'resolv.conf lists more than three nameservers; the extra ones are ignored',
    description:
      'glibc reads at most MAXNS = 3 `nameserver` lines (resolv.conf(5)); later ones are never queried. Kubelet ' +
      'also trims pod resolv.conf to three and logs "Nameserver limits exceeded". Redundancy placed after the ' +
      'third line does not exist.',
    fix: 'Keep the three most independent nameservers, first the one that is most likely to be up.',
    inputs: ['/etc/resolv.conf', '/run/systemd/resolve/resolv.conf'],
    references: [REF.resolvConf],
  },
  check({ inventory, report }) {
    for (const rc of inventory.node?.resolvConfs ?? []) {
      if (rc.nameservers.length <= GLIBC_MAXNS) continue;
      const ignored = rc.nameservers.slice(GLIBC_MAXNS);
      report({
        message: `${rc.path} lists ${rc.nameservers.length} nameservers; glibc uses the first ${GLIBC_MAXNS} and never asks ${ignored.map((n) => n.value).join(', ')}.`,
        location: ignored[0]!.location,
        object: nodeFile(rc.path),
        evidence: { nameservers: rc.nameservers.map((n) => n.value), ignored: ignored.map((n) => n.value) },
      });
    }
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'text',
  file: '/etc/resolv.conf',
  bad: 'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 8.8.8.8\n',
  good: 'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 8.8.8.8\n',
};
