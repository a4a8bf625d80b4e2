/** Rules over node configuration (DNS, watchdog, hung-task sysctls). One file per rule, listed here. */

import type { Rule } from '../../rule.ts';
import type { RuleExamples } from '../manifest/support.ts';
import * as corednsNoServeStale from './coredns-no-serve-stale.ts';
import * as dnsFallbackIneffective from './dns-fallback-ineffective.ts';
import * as dnsResolverTimeouts from './dns-resolver-timeouts.ts';
import * as dnsSingleResolver from './dns-single-resolver.ts';
import * as hungTaskPanicMissesNfs from './hung-task-panic-misses-nfs.ts';
import * as hungTaskPanicWithoutReboot from './hung-task-panic-without-reboot.ts';
import * as kubeletResolvConfStub from './kubelet-resolv-conf-stub.ts';
import * as resolvConfTooManyNameservers from './resolv-conf-too-many-nameservers.ts';
import * as runtimeWatchdogOnly from './runtime-watchdog-only.ts';
import * as watchdogMaxLoadLow from './watchdog-max-load-low.ts';
import * as watchdogMissing from './watchdog-missing.ts';

/** Each module exports `rule` and its documented `examples`. Order is report order. */
const MODULES: readonly { rule: Rule; examples: RuleExamples }[] = [
  dnsSingleResolver,
  dnsFallbackIneffective,
  dnsResolverTimeouts,
  kubeletResolvConfStub,
  corednsNoServeStale,
  resolvConfTooManyNameservers,
  watchdogMissing,
  hungTaskPanicWithoutReboot,
  hungTaskPanicMissesNfs,
  watchdogMaxLoadLow,
  runtimeWatchdogOnly,
];

export const NODE_RULES: readonly Rule[] = MODULES.map((m) => m.rule);

/** Examples by rule id, for the docs generator; test/audit/rules/node runs the same examples. */
export const NODE_EXAMPLES: ReadonlyMap<string, RuleExamples> = new Map(
  MODULES.map((m) => [m.rule.meta.id, m.examples]),
);
