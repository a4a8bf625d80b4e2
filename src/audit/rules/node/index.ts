/** Rules over node configuration (DNS, watchdog, hung-task sysctls). One file per rule, listed here. */

import type { RuleExamples } from '../manifest/support.ts';
import { type RuleModule, ruleFamily } from '../registry.ts';
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
const MODULES: readonly (RuleModule & { examples: RuleExamples })[] = [
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

/** The rules, and their examples by rule id for the docs generator; test/audit/rules/node runs the same examples. */
export const { rules: NODE_RULES, examples: NODE_EXAMPLES } = ruleFamily(MODULES);
