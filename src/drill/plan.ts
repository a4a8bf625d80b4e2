/**
 * Build the plan: resolve the target, ask the scenario what it touches and predicts, and decide what
 * `run` must refuse. `plan` changes nothing; `run` executes exactly this plan.
 */

import { TABLE } from './inject/nft.ts';
import { type DrillPlan, type Endpoint, MAX_DURATION_S, type Refusal } from './model.ts';
import type { Scenario } from './scenarios/scenario.ts';
import type { DrillContext } from './sources/context.ts';
import { formatEndpoint, sameHost } from './target.ts';

export interface PlanInput {
  scenario: Scenario;
  target: Endpoint;
  durationSeconds: number;
  ctx: DrillContext;
  lookupName: string;
  table?: string;
}

export function buildPlan(i: PlanInput): DrillPlan {
  const target: Endpoint =
    i.target.port === undefined && i.scenario.defaultPort !== undefined
      ? { ...i.target, port: i.scenario.defaultPort }
      : i.target;
  const duration = Math.min(i.durationSeconds, MAX_DURATION_S);
  const parts = i.scenario.plan({ target, durationSeconds: duration, ctx: i.ctx, lookupName: i.lookupName });
  const refusals: Refusal[] = [];
  if (i.durationSeconds > MAX_DURATION_S)
    refusals.push({
      code: 'duration',
      message: `--duration ${i.durationSeconds} s is over the hard limit of ${MAX_DURATION_S} s`,
    });
  if (parts.freeze)
    refusals.push({
      code: 'freeze',
      message: `the plan predicts a node freeze: ${parts.freeze}`,
      override: '--allow-freeze',
    });
  for (const a of i.ctx.agent?.alertPath ?? []) {
    if (
      sameHost(a.host, target) &&
      (target.port === undefined || a.port === undefined || a.port === target.port)
    )
      refusals.push({
        code: 'alert-path',
        message: `${formatEndpoint(target)} is on the agent's alert path (${a.where}: ${a.host}${a.port ? `:${a.port}` : ''} in ${i.ctx.agent?.file}); the drill never touches it`,
      });
  }
  if (target.family === 4 && target.ip.startsWith('127.') && target.port === undefined)
    refusals.push({
      code: 'target',
      message: 'refusing to drop all traffic to a loopback address: give a port',
    });
  return {
    scenario: i.scenario.id,
    summary: i.scenario.summary,
    target,
    durationSeconds: duration,
    table: i.table ?? TABLE,
    elements: i.scenario.elements(target, duration),
    ...parts,
    refusals,
  };
}

/** Refusals that still stand given the override flags. */
export function blocking(plan: DrillPlan, allowFreeze: boolean): Refusal[] {
  return plan.refusals.filter((r) => !(r.code === 'freeze' && allowFreeze));
}
