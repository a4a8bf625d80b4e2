/** DNS-003: resolver timeouts that turn one dead nameserver into multi-second stalls. */

import { podSpecPath } from '../../inventory.ts';
import { getArray, getRecord, objectRef } from '../../model.ts';
import { defineRule } from '../../rule.ts';
import { GLIBC_DEFAULT_ATTEMPTS, GLIBC_DEFAULT_TIMEOUT, isStubOnly } from '../../sources/node/resolv-conf.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { etcResolvConf, nodeFile, REF } from './support.ts';

/** Above this per-try timeout a dead first server visibly stalls every lookup. */
const MAX_TIMEOUT = 2;
const MAX_ATTEMPTS = 2;

export const rule = defineRule({
  meta: {
    id: 'dns-resolver-timeouts',
    severity: 'low',
    title: 'Resolver timeout/attempts stall lookups for seconds when a nameserver dies',
    description:
      'glibc tries nameservers in order, waiting `timeout` seconds (default 5) for each, for `attempts` rounds ' +
      '(default 2) (resolv.conf(5)). With the first server dead, every lookup waits the full timeout before ' +
      'the next server is asked; with all dead, a lookup takes timeout × attempts × servers before failing. ' +
      'Callers with their own deadlines (kubelet, CNI plugins, health checks) give up first and report errors ' +
      'that look like a total DNS outage.',
    fix: "Set `options timeout:1 attempts:2 rotate` (resolv.conf) or the same in the pod's dnsConfig.options.",
    inputs: ['/etc/resolv.conf', 'pod spec.dnsConfig.options'],
    references: [REF.resolvConf],
  },
  check({ inventory, report }) {
    const node = inventory.node;
    const etc = node ? etcResolvConf(node) : undefined;
    if (etc && etc.nameservers.length > 0 && !isStubOnly(etc)) {
      const timeout = etc.timeout?.value ?? GLIBC_DEFAULT_TIMEOUT;
      const attempts = etc.attempts?.value ?? GLIBC_DEFAULT_ATTEMPTS;
      if (timeout > MAX_TIMEOUT || attempts > MAX_ATTEMPTS) {
        const n = Math.min(etc.nameservers.length, 3);
        report({
          message:
            `${etc.path}: timeout ${timeout} s${etc.timeout ? '' : ' (default)'} × attempts ${attempts}` +
            `${etc.attempts ? '' : ' (default)'}: a dead first nameserver adds ${timeout} s to every lookup` +
            `${etc.rotate ? ' it is asked first' : ''}; with all ${n} dead a lookup fails after ${timeout * attempts * n} s.`,
          location: etc.timeout?.location ?? etc.attempts?.location ?? etc.nameservers[0]!.location,
          object: nodeFile(etc.path),
          evidence: {
            timeout,
            attempts,
            nameservers: etc.nameservers.map((s) => s.value),
            rotate: etc.rotate?.value ?? false,
          },
        });
      }
    }
    for (const w of inventory.workloads()) {
      const spec = podSpecPath(w);
      if (!spec) continue;
      const options = getArray(w.body, [...spec, 'dnsConfig', 'options']);
      options.forEach((opt, i) => {
        const o = getRecord(opt, []);
        const name = o?.name;
        const value = Number(o?.value);
        if ((name === 'timeout' && value > MAX_TIMEOUT) || (name === 'attempts' && value > MAX_ATTEMPTS))
          report({
            message: `${w.kind} ${w.name} sets dnsConfig option ${String(name)}:${String(o?.value)}: lookups stall that long per try when a nameserver is down.`,
            location: w.locate([...spec, 'dnsConfig', 'options', i]),
            object: objectRef(w),
            evidence: { option: name, value },
          });
      });
    }
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'text',
  file: '/etc/resolv.conf',
  bad: 'nameserver 10.0.0.2\nnameserver 10.0.0.3\n',
  good: 'nameserver 10.0.0.2\nnameserver 10.0.0.3\noptions timeout:1 attempts:2 rotate\n',
};
