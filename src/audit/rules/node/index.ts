/** Rules over node configuration (DNS, watchdog, hung-task sysctls). One file per rule, listed here. */
import type { Rule } from '../../rule.ts';
import { rule as corednsNoServeStale } from './coredns-no-serve-stale.ts';
import { rule as dnsFallbackIneffective } from './dns-fallback-ineffective.ts';
import { rule as dnsResolverTimeouts } from './dns-resolver-timeouts.ts';
import { rule as dnsSingleResolver } from './dns-single-resolver.ts';
import { rule as hungTaskPanicMissesNfs } from './hung-task-panic-misses-nfs.ts';
import { rule as hungTaskPanicWithoutReboot } from './hung-task-panic-without-reboot.ts';
import { rule as kubeletResolvConfStub } from './kubelet-resolv-conf-stub.ts';
import { rule as resolvConfTooManyNameservers } from './resolv-conf-too-many-nameservers.ts';
import { rule as runtimeWatchdogOnly } from './runtime-watchdog-only.ts';
import { rule as watchdogMaxLoadLow } from './watchdog-max-load-low.ts';
import { rule as watchdogMissing } from './watchdog-missing.ts';

export const NODE_RULES: readonly Rule[] = [
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
