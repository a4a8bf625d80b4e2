/**
 * The audit pipeline: sources → Inventory → rules → sorted findings. Nothing an input does can stop
 * it: unreadable inputs and rules that throw become `errors` entries and the rest still runs.
 */
import { describeError, type InputProblem } from '../core/errors.ts';
import type { Finding } from '../core/finding.ts';
import { SEVERITIES, type Severity, severityRank } from '../core/severity.ts';
import { DEFAULT_SETTINGS, Inventory } from './inventory.ts';
import type { K8sObject, NodeFacts } from './model.ts';
import { type Rule, runRules } from './rule.ts';
import { RULES } from './rules/index.ts';
import { readManifestPaths } from './sources/files.ts';
import { nodeBudgetSeconds, readNodeRoot } from './sources/node/index.ts';

export interface AuditRunOptions {
  paths: readonly string[];
  cluster?: boolean;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  nodeRoot?: string | undefined;
  /** Overrides the node-derived budget. */
  budget?: number | undefined;
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  maxFileBytes?: number;
  clusterTimeoutMs?: number;
  /** The rule set; the registry by default (tests pass their own). */
  rules?: readonly Rule[];
  /** --exclude globs for directory walks (plus each directory's .faultlineignore). */
  exclude?: readonly string[];
}

export interface AuditSummary {
  findings: number;
  bySeverity: Record<Severity, number>;
  errors: number;
  /** Duplicate keys, reads stopped at a bound: reported, never a failure. */
  warnings: number;
  /** Helm/Jinja template documents skipped, and the files holding them. */
  templatesSkipped: number;
  templateFiles: number;
  /** Dot-directories/files not walked (.git, .github…). */
  dotEntriesSkipped: number;
  /** Paths left out by --exclude / .faultlineignore. */
  excluded: number;
  filesScanned: number;
  objects: number;
  rules: number;
  /** The error budget the rules used, and where it came from. */
  budgetSeconds: number;
  budgetSource: 'flag' | 'node' | 'default';
}

export interface AuditResult {
  findings: Finding[];
  errors: InputProblem[];
  warnings: InputProblem[];
  summary: AuditSummary;
  filesScanned: number;
  /** Rules that ran (for SARIF's rule list). */
  rules: readonly Rule[];
}

export async function audit(opts: AuditRunOptions): Promise<AuditResult> {
  const input = await readInputs(opts);
  const { objects, errors, node } = input;
  const fromNode = nodeBudgetSeconds(node);
  const budgetSeconds = opts.budget ?? fromNode ?? DEFAULT_SETTINGS.nodeBudgetSeconds;
  const budgetSource = opts.budget !== undefined ? 'flag' : fromNode !== undefined ? 'node' : 'default';
  const inventory = new Inventory(objects, node, { ...DEFAULT_SETTINGS, nodeBudgetSeconds: budgetSeconds });

  const rules = opts.rules ?? RULES;
  const findings = runEachRule(rules, inventory, errors);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity]++;
  return {
    findings,
    errors,
    warnings: input.warnings,
    filesScanned: input.filesScanned,
    rules,
    summary: {
      findings: findings.length,
      bySeverity,
      errors: errors.length,
      warnings: input.warnings.length,
      ...input.walk,
      filesScanned: input.filesScanned,
      objects: objects.length,
      rules: rules.length,
      budgetSeconds,
      budgetSource,
    },
  };
}

interface Inputs {
  objects: K8sObject[];
  errors: InputProblem[];
  warnings: InputProblem[];
  walk: Pick<AuditSummary, 'templatesSkipped' | 'templateFiles' | 'dotEntriesSkipped' | 'excluded'>;
  filesScanned: number;
  node: NodeFacts | undefined;
}

/** Every source asked for (paths, --cluster, --node-root), read into one list of objects and problems. */
async function readInputs(opts: AuditRunOptions): Promise<Inputs> {
  const input: Inputs = {
    objects: [],
    errors: [],
    warnings: [],
    walk: { templatesSkipped: 0, templateFiles: 0, dotEntriesSkipped: 0, excluded: 0 },
    filesScanned: 0,
    node: undefined,
  };
  const { objects, errors } = input;
  if (opts.paths.length > 0) {
    const r = await readManifestPaths(opts.paths, {
      ...(opts.stdin ? { stdin: opts.stdin } : {}),
      ...(opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {}),
      ...(opts.exclude ? { exclude: opts.exclude } : {}),
    });
    // Loops, not push(...xs): large inputs overflow the call stack with a spread.
    for (const o of r.objects) objects.push(o);
    for (const e of r.errors) errors.push(e);
    for (const w of r.warnings) input.warnings.push(w);
    input.filesScanned += r.filesScanned;
    input.walk = {
      templatesSkipped: r.templates,
      templateFiles: r.templateFiles,
      dotEntriesSkipped: r.dotEntriesSkipped,
      excluded: r.excluded,
    };
  }
  if (opts.cluster) {
    // Loaded only for --cluster: the Kubernetes client costs over a second of start-up.
    const { readCluster } = await import('./sources/cluster.ts');
    const r = await readCluster({
      kubeconfig: opts.kubeconfig,
      context: opts.context,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.clusterTimeoutMs ? { timeoutMs: opts.clusterTimeoutMs } : {}),
    });
    for (const o of r.objects) objects.push(o);
    for (const e of r.errors) errors.push(e);
  }
  if (opts.nodeRoot !== undefined) {
    const r = await readNodeRoot(opts.nodeRoot);
    input.node = r.facts;
    errors.push(...r.errors);
    input.filesScanned += r.filesScanned;
  }
  return input;
}

/** Findings of every rule, sorted; a rule that throws becomes an entry in `errors` and the rest still run. */
function runEachRule(rules: readonly Rule[], inventory: Inventory, errors: InputProblem[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    try {
      for (const f of runRules([rule], inventory)) findings.push(f);
    } catch (err) {
      errors.push({
        file: `rule:${rule.meta.id}`,
        message: `rule failed, its findings are missing: ${describeError(err)}`,
      });
    }
  }
  return findings.sort(compareFindings);
}

/** Most severe first, then by file and line, so reports and diffs are stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.location.file.localeCompare(b.location.file) ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.object.name.localeCompare(b.object.name)
  );
}
