/** The scenario catalog: one module per scenario, registered here. */
import { scenario as dnsBlackhole } from './dns-blackhole.ts';
import { scenario as nfsBlackhole } from './nfs-blackhole.ts';
import { scenario as nfsStall } from './nfs-stall.ts';
import type { Scenario } from './scenario.ts';

export const SCENARIOS: readonly Scenario[] = [nfsBlackhole, dnsBlackhole, nfsStall];

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
