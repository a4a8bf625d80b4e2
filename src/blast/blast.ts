/** The blast pipeline: audit's sources → Inventory → units and routes → one analysis per target. */
import type { AuditRunOptions } from '../audit/engine.ts';
import { analyzeAll, analyzeTarget } from './analysis/index.ts';
import { readClusterRoutes } from './cluster.ts';
import { readInputs } from './inputs.ts';
import { BLAST_JSON_VERSION, type BlastReport, type Target } from './model.ts';
import { routesOf } from './relations/routes.ts';
import { unitsOf } from './relations/units.ts';

export interface BlastRunOptions extends AuditRunOptions {
  targets: readonly Target[];
  all: boolean;
  /** Passed to the audit engine: the same path exclusion as `faultline audit --exclude`. */
  exclude?: readonly string[];
}

export async function blast(opts: BlastRunOptions): Promise<BlastReport> {
  const { targets, all, exclude, ...auditOpts } = opts;
  const runOpts: AuditRunOptions & { exclude?: readonly string[] } = {
    ...auditOpts,
    ...(exclude && exclude.length > 0 ? { exclude } : {}),
  };
  const inputs = await readInputs(
    runOpts,
    opts.cluster
      ? () =>
          readClusterRoutes({
            kubeconfig: opts.kubeconfig,
            context: opts.context,
            ...(opts.clusterTimeoutMs ? { timeoutMs: opts.clusterTimeoutMs } : {}),
          })
      : undefined,
  );
  const inv = inputs.inventory;
  const ctx = { units: unitsOf(inv), routes: routesOf(inv), budgetSeconds: inputs.budgetSeconds };
  const analysed = all
    ? analyzeAll(inv, ctx)
    : { results: targets.map((t) => analyzeTarget(inv, ctx, t)), ranking: undefined };
  return {
    version: BLAST_JSON_VERSION,
    results: analysed.results,
    ranking: analysed.ranking,
    errors: inputs.errors,
    stats: {
      filesScanned: inputs.filesScanned,
      objects: inv.objects.length,
      units: ctx.units.list.length,
      routes: ctx.routes.list.length,
      budgetSeconds: inputs.budgetSeconds,
    },
  };
}
