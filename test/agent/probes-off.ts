import { PROBES } from '../../src/agent/probes/index.ts';

/**
 * Config lines (under `probes:`) switching off every registered probe not in `keep`: a test runs only
 * the probes it exercises, the others would look at this machine's mounts and resolvers. Derived from
 * PROBES, so a probe added there is off here too.
 */
export function otherProbesOff(keep: readonly string[]): string {
  return PROBES.filter((p) => !keep.includes(p.name))
    .map((p) => `  ${p.name}:\n    enabled: false\n`)
    .join('');
}
