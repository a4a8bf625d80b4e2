/**
 * `run`: refuse what the plan forbids, inject, observe until the kernel has removed the fault, judge.
 * On SIGINT/SIGTERM the fault is removed at once; on SIGKILL the kernel removes it when it expires.
 */

import { inject, liveElements, type NftRunner, runNft, stop } from './inject/nft.ts';
import { DRILL_REPORT_VERSION, type DrillPlan, type DrillReport } from './model.ts';
import { observe } from './observe/observer.ts';
import { blocking } from './plan.ts';
import { judge } from './verdict.ts';

export interface RunOptions {
  plan: DrillPlan;
  allowFreeze: boolean;
  lookupName: string;
  sshPort: number;
  graceSeconds: number;
  agentMetricsUrl: string | undefined;
  log: (line: string) => void;
  nft?: NftRunner;
  roundMs?: number;
}

export class DrillRefused extends Error {}

export async function runDrill(o: RunOptions): Promise<DrillReport> {
  const nft = o.nft ?? runNft;
  const refusals = blocking(o.plan, o.allowFreeze);
  if (refusals.length)
    throw new DrillRefused(
      refusals.map((r) => `${r.message}${r.override ? ` (override: ${r.override})` : ''}`).join('\n'),
    );
  const live = await liveElements(nft, o.plan.table);
  if (live.length)
    throw new DrillRefused(
      `a drill fault is already active (${live.map((e) => `${e.set}: ${e.element}`).join(', ')}): wait for it to expire or run \`faultline drill stop\``,
    );
  const onSignal = (sig: NodeJS.Signals) => {
    o.log(`${sig}: removing the fault now`);
    void stop(nft, o.plan.table).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const observations = await observe({
      plan: o.plan,
      lookupName: o.lookupName,
      sshPort: o.sshPort,
      graceSeconds: o.graceSeconds,
      agentMetricsUrl: o.agentMetricsUrl,
      log: o.log,
      roundMs: o.roundMs,
      inject: () => inject(o.plan.elements, nft, o.plan.table),
      faultPresent: async () => (await liveElements(nft, o.plan.table)).length > 0,
    });
    const verdict = judge(o.plan, observations);
    return { version: DRILL_REPORT_VERSION, kind: 'faultline-drill', plan: o.plan, observations, verdict };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    // Whatever happened above, leave nothing behind (the elements are gone by now in the normal case).
    await stop(nft, o.plan.table).catch((err) =>
      o.log(`could not remove the table: ${(err as Error).message}`),
    );
  }
}
