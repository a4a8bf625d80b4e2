/**
 * `faultline audit` options: parsed by hand (no flag library) so every bad input is a UsageError with
 * a message naming the flag — never a crash. `formatAuditArgs` is the inverse, used by property tests.
 */
import { type CommonOptions, oneOf, scanFlags, setCommonFlag, UsageError } from '../core/flags.ts';
import { SEVERITIES, type Severity } from '../core/severity.ts';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];
export type FailOn = Severity | 'none';

export interface AuditOptions extends CommonOptions {
  format: Format;
  failOn: FailOn;
}

export const DEFAULT_AUDIT_OPTIONS: AuditOptions = {
  paths: [],
  cluster: false,
  kubeconfig: undefined,
  context: undefined,
  nodeRoot: undefined,
  format: 'text',
  output: undefined,
  failOn: 'high',
  budget: undefined,
  exclude: [],
  help: false,
};

type ValueFlag =
  | 'kubeconfig'
  | 'context'
  | 'node-root'
  | 'format'
  | 'output'
  | 'fail-on'
  | 'budget'
  | 'exclude';
const VALUE_FLAGS = new Set<string>([
  'exclude',
  'kubeconfig',
  'context',
  'node-root',
  'format',
  'output',
  'fail-on',
  'budget',
]);

export const AUDIT_USAGE = `Usage: faultline audit [PATH...] [options]

Find NFS, DNS, CNI and watchdog settings that let one failed dependency take down a node.
PATH is a file or directory of Kubernetes YAML/JSON (walked recursively), or - for stdin.

Inputs (at least one):
  PATH...                 manifests, kubectl -o yaml/json dumps, helm template output, Argo CD
                          Applications, Flux HelmReleases
  --cluster               read the live cluster (StorageClasses, PVs, PVCs, Pods, kube-system ConfigMaps)
  --kubeconfig FILE       kubeconfig for --cluster (default: $KUBECONFIG, then ~/.kube/config)
  --context NAME          kubeconfig context for --cluster
  --node-root DIR         read node configuration under DIR (/ on a node): fstab, mountinfo,
                          nfsmount.conf, systemd-resolved, resolv.conf, watchdog.conf, sysctls
  --exclude GLOB          leave matching paths out of directory walks (repeatable; also read from
                          .faultlineignore in each directory given). Helm/Jinja templates and
                          dot-directories are skipped and counted in the summary

Output:
  --format text|json|sarif   (default text; colour only on a TTY and when NO_COLOR is unset)
  --output FILE              write the report to FILE instead of stdout
  --fail-on LEVEL            info|low|medium|high|critical|none (default high); none: findings
                             never fail the build (for code-scanning uploads)
  --budget SECONDS           the node's error budget for NFS timeouts (default: from the node's
                             hung_task_timeout_secs / watchdog-timeout, else 120)
  -h, --help                 this help

Exit status: 0 clean; 1 a finding at or above --fail-on; 2 usage error, no input, or an input that
could not be read (reported in the errors list; the rest is still scanned). Template documents
are skipped and counted, not errors.
`;

const SWITCHES: ReadonlySet<string> = new Set(['cluster']);

/** Value flags an empty value is refused for with the generic message. */
const NON_EMPTY: ReadonlySet<string> = new Set(['kubeconfig', 'context', 'node-root', 'output']);

export function parseAuditArgs(argv: readonly string[]): AuditOptions {
  const o: AuditOptions = { ...DEFAULT_AUDIT_OPTIONS, paths: [], exclude: [] };
  for (const t of scanFlags(argv, { switches: SWITCHES, values: VALUE_FLAGS })) {
    if (t.kind === 'path') o.paths.push(t.value);
    else if (t.kind === 'help') o.help = true;
    else if (t.kind === 'switch') o.cluster = true;
    else setValue(o, t.name as ValueFlag, t.value);
  }
  return o;
}

function setValue(o: AuditOptions, name: ValueFlag, value: string): void {
  if (name === 'exclude' && value === '') throw new UsageError('--exclude needs a non-empty glob');
  if (NON_EMPTY.has(name) && value === '') throw new UsageError(`--${name} needs a non-empty value`);
  if (setCommonFlag(o, name, value)) return;
  switch (name) {
    case 'format':
      o.format = oneOf(name, value, FORMATS);
      return;
    case 'fail-on':
      o.failOn = oneOf<FailOn>(name, value, [...SEVERITIES, 'none']);
      return;
  }
}

/** Options → argv that parses back to the same options (paths after `--` so they never read as flags). */
export function formatAuditArgs(o: AuditOptions): string[] {
  const argv: string[] = [];
  if (o.cluster) argv.push('--cluster');
  if (o.kubeconfig !== undefined) argv.push('--kubeconfig', o.kubeconfig);
  if (o.context !== undefined) argv.push('--context', o.context);
  if (o.nodeRoot !== undefined) argv.push('--node-root', o.nodeRoot);
  if (o.format !== DEFAULT_AUDIT_OPTIONS.format) argv.push('--format', o.format);
  if (o.output !== undefined) argv.push('--output', o.output);
  if (o.failOn !== DEFAULT_AUDIT_OPTIONS.failOn) argv.push('--fail-on', o.failOn);
  if (o.budget !== undefined) argv.push(`--budget=${o.budget}`);
  for (const g of o.exclude) argv.push('--exclude', g);
  if (o.help) argv.push('--help');
  if (o.paths.length > 0) argv.push('--', ...o.paths);
  return argv;
}
