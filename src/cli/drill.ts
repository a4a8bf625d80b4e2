/** `faultline drill plan|run|stop|manifests SCENARIO`: rehearse a dependency failure and judge it. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FaultlineError } from '../core/errors.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../core/exit-codes.ts';
import { knownServerAddresses } from '../drill/analysis/affected.ts';
import { stop } from '../drill/inject/nft.ts';
import { DRILL_REPORT_VERSION, type DrillPlan, type DrillReport } from '../drill/model.ts';
import { DRILL_USAGE, type DrillOptions, parseDrillArgs } from '../drill/options.ts';
import { buildPlan } from '../drill/plan.ts';
import { renderJson } from '../drill/reporters/json.ts';
import { renderMarkdown } from '../drill/reporters/markdown.ts';
import { renderPlanText, renderVerdictText } from '../drill/reporters/text.ts';
import { DrillRefused, runDrill } from '../drill/run.ts';
import { findScenario, SCENARIOS } from '../drill/scenarios/index.ts';
import type { Scenario } from '../drill/scenarios/scenario.ts';
import { type DrillContext, readContext } from '../drill/sources/context.ts';
import { resolveTarget } from '../drill/target.ts';
import type { CliIO, CommandRunner } from './io.ts';

/** Exit code when `run` refused (distinct from usage errors so scripts can tell). */
export const EXIT_REFUSED = 3;

export const runDrillCommand: CommandRunner = async (argv, io) => {
  const opts = parseOptions(argv);
  if (opts.help) {
    io.stdout.write(DRILL_USAGE);
    return EXIT_OK;
  }
  if (opts.action === 'stop') return stopCommand(io);
  const { plan, ctx } = await planFor(opts, io);
  if (opts.action === 'manifests') {
    const { renderManifests } = await import('../drill/manifests.ts');
    await emit(
      renderManifests(
        plan,
        ctx,
        { node: opts.node, namespace: opts.namespace, image: opts.image, argv },
        opts.lookupName,
      ),
      opts,
      io,
    );
    return EXIT_OK;
  }
  if (opts.action === 'plan') {
    await emit(render(planReport(plan), opts), opts, io);
    return EXIT_OK;
  }
  return runCommand(plan, ctx, opts, io);
};

type ParsedOptions = ReturnType<typeof parseDrillArgs>;

/** The options, a parseArgs error as a usage error. */
function parseOptions(argv: string[]): ParsedOptions {
  try {
    return parseDrillArgs(argv);
  } catch (err) {
    if (err instanceof FaultlineError) throw err;
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new FaultlineError('usage', (err as Error).message);
    }
    throw err;
  }
}

async function stopCommand(io: CliIO): Promise<number> {
  const r = await stop();
  io.stdout.write(
    r.removed > 0
      ? `faultline drill stop: removed ${r.removed} active fault element(s) and the table\n`
      : 'faultline drill stop: nothing active (table removed if it was there)\n',
  );
  return EXIT_OK;
}

/** The scenario named and its target, or a usage error saying what is missing. */
function scenarioOf(opts: ParsedOptions): { scenario: Scenario; target: string } {
  const scenario = opts.scenario === undefined ? undefined : findScenario(opts.scenario);
  if (!scenario) {
    throw new FaultlineError(
      'usage',
      `${opts.scenario === undefined ? 'give a scenario' : `unknown scenario '${opts.scenario}'`} (one of ${SCENARIOS.map((s) => s.id).join(', ')})`,
    );
  }
  if (opts.target === undefined || opts.targetFlag !== scenario.targetFlag) {
    throw new FaultlineError(
      'usage',
      `${scenario.id} needs ${scenario.targetFlag} ${scenario.targetHelp.split(' ')[0]}`,
    );
  }
  return { scenario, target: opts.target };
}

/** Reads the scan (its errors to stderr), resolves the target and builds the plan. */
async function planFor(opts: ParsedOptions, io: CliIO): Promise<{ plan: DrillPlan; ctx: DrillContext }> {
  const { scenario, target: given } = scenarioOf(opts);
  const ctx = await readContext({
    // Relative paths stay relative (reports name files as the user knows them).
    paths: opts.paths.map((p) => (io.cwd === process.cwd() ? p : resolve(io.cwd, p))),
    nodeRoot: io.cwd === process.cwd() ? opts.nodeRoot : resolve(io.cwd, opts.nodeRoot),
    agentConfig: opts.agentConfig === undefined ? undefined : resolve(io.cwd, opts.agentConfig),
    env: io.env,
  });
  const target = await resolveTarget(given, undefined, knownServerAddresses(ctx.inventory));
  for (const e of ctx.errors)
    io.stderr.write(`faultline drill: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
  const plan = buildPlan({
    scenario,
    target,
    durationSeconds: opts.durationSeconds,
    ctx,
    lookupName: opts.lookupName,
  });
  return { plan, ctx };
}

/** A report of the plan alone: nothing observed, no verdict. */
function planReport(plan: DrillPlan): DrillReport {
  return {
    version: DRILL_REPORT_VERSION,
    kind: 'faultline-drill',
    plan,
    observations: undefined,
    verdict: undefined,
  };
}

/** `run`: the plan and a refusal without --yes; else inject, observe and report the verdict. */
async function runCommand(
  plan: DrillPlan,
  ctx: DrillContext,
  opts: DrillOptions,
  io: CliIO,
): Promise<number> {
  if (!opts.yes) {
    io.stderr.write(`${renderPlanText(planReport(plan))}\nfaultline drill: add --yes to inject this fault\n`);
    return EXIT_USAGE;
  }
  let report: DrillReport;
  try {
    report = await runDrill({
      plan,
      allowFreeze: opts.allowFreeze,
      lookupName: opts.lookupName,
      sshPort: opts.sshPort,
      graceSeconds: opts.graceSeconds,
      agentMetricsUrl: ctx.agent?.metricsUrl,
      log: (l) => io.stderr.write(`faultline drill: ${l}\n`),
    });
  } catch (err) {
    if (!(err instanceof DrillRefused)) throw err;
    io.stderr.write(`faultline drill: refusing to run:\n${err.message}\n`);
    return EXIT_REFUSED;
  }
  await emit(render(report, opts), opts, io);
  return report.verdict?.pass ? EXIT_OK : EXIT_FINDINGS;
}

function render(r: DrillReport, opts: DrillOptions): string {
  if (opts.format === 'json') return renderJson(r);
  if (opts.format === 'markdown') return renderMarkdown(r);
  return r.verdict ? renderVerdictText(r) : renderPlanText(r);
}

async function emit(text: string, opts: DrillOptions, io: CliIO): Promise<void> {
  if (opts.output === undefined) io.stdout.write(text);
  else {
    await writeFile(resolve(io.cwd, opts.output), text);
    io.stderr.write(`faultline drill: report written to ${opts.output}\n`);
  }
}
