/**
 * A drill scenario = one module: how to read its target, which kernel-expiring elements inject it, and
 * what it touches and predicts on this node. Registered in scenarios/index.ts.
 */
import type { DrillPlan, Endpoint, FaultElement } from '../model.ts';
import type { DrillContext } from '../sources/context.ts';

export interface ScenarioInput {
  target: Endpoint;
  durationSeconds: number;
  ctx: DrillContext;
  /** Name looked up on the node during DNS drills. */
  lookupName: string;
}

export type ScenarioPlan = Pick<
  DrillPlan,
  'mounts' | 'resolvers' | 'workloads' | 'predictions' | 'freeze' | 'notes'
>;

export interface Scenario {
  id: string;
  summary: string;
  /** The option naming the target, e.g. "--server". */
  targetFlag: '--server' | '--resolver';
  targetHelp: string;
  /** Port assumed when none is given (undefined: all ports of the host). */
  defaultPort: number | undefined;
  /** What the agent would watch for this fault. */
  agentKind: 'nfs' | 'dns';
  elements(target: Endpoint, durationSeconds: number): FaultElement[];
  plan(input: ScenarioInput): ScenarioPlan;
}

export function defineScenario(s: Scenario): Scenario {
  return s;
}
