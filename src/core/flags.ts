/**
 * The command-line scanner `audit` and `blast` share (hand-written so every bad input gets a message that
 * names the flag): PATH arguments, `-` for stdin, `--` ending the options, `-h/--help`, switches, and
 * value flags as `--name value` or `--name=value`. Also what both commands do with it alike: the
 * options they share, the start of a run (usage errors, --help, no input) and the inputs handed to the
 * readers. Each command checks its own values and keeps its own messages.
 */
import { resolve } from 'node:path';
import { FaultlineError } from './errors.ts';

/** A bad command line: the message names the flag. The commands turn it into exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function fail(message: string): never {
  throw new UsageError(message);
}

export type FlagToken =
  | { kind: 'path'; value: string }
  | { kind: 'help' }
  | { kind: 'switch'; name: string }
  | { kind: 'value'; name: string; value: string };

/** The command line as tokens; an unknown option, or a value missing or given to a switch, is a UsageError. */
export function scanFlags(
  argv: readonly string[],
  spec: { switches: ReadonlySet<string>; values: ReadonlySet<string> },
): FlagToken[] {
  const out: FlagToken[] = [];
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) out.push({ kind: 'path', value: arg });
    else if (arg === '--') onlyPaths = true;
    else if (arg === '-h' || arg === '--help') out.push({ kind: 'help' });
    else {
      if (!arg.startsWith('--')) fail(`unknown option '${arg}'`);
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      if (spec.switches.has(name)) {
        if (eq !== -1) fail(`--${name} takes no value`);
        out.push({ kind: 'switch', name });
        continue;
      }
      if (!spec.values.has(name)) fail(`unknown option '--${name}'`);
      let value = arg.slice(eq + 1);
      if (eq === -1) {
        const next = argv[i + 1];
        if (next === undefined) fail(`--${name} needs a value`);
        value = next;
        i++;
      }
      out.push({ kind: 'value', name, value });
    }
  }
  return out;
}

/**
 * The options `audit` and `blast` both take: the inputs (PATHs, the live cluster, a node root), the
 * node's budget, --exclude, --output and --help.
 */
export interface CommonOptions {
  paths: string[];
  cluster: boolean;
  kubeconfig: string | undefined;
  context: string | undefined;
  nodeRoot: string | undefined;
  /** Overrides the node's error budget (seconds). */
  budget: number | undefined;
  /** --exclude GLOB, repeatable. */
  exclude: string[];
  output: string | undefined;
  help: boolean;
}

export function hasInputs(o: CommonOptions): boolean {
  return o.paths.length > 0 || o.cluster || o.nodeRoot !== undefined;
}

/**
 * Sets a flag both commands take (--kubeconfig, --context, --node-root, --exclude, --output, --budget);
 * false for any other flag. Empty values are refused by the caller, each command with its own message.
 */
export function setCommonFlag(o: CommonOptions, name: string, value: string): boolean {
  switch (name) {
    case 'budget':
      // Finite too: 400 digits parse to Infinity, which JSON reports would print as null.
      if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0 || !Number.isFinite(Number(value)))
        throw new UsageError(`--budget must be a positive number of seconds (got '${value}')`);
      o.budget = Number(value);
      return true;
    case 'kubeconfig':
    case 'context':
    case 'output':
      o[name] = value;
      return true;
    case 'node-root':
      o.nodeRoot = value;
      return true;
    case 'exclude':
      o.exclude.push(value);
      return true;
    default:
      return false;
  }
}

/** `--name` takes one of `allowed`; anything else is a UsageError listing them. */
export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

/**
 * The start both commands share: argv parsed (a UsageError becomes a 'usage' FaultlineError, exit 2),
 * --help printed (undefined: nothing more to do), and a command line with nothing to read refused
 * with `nothing`.
 */
export function commandOptions<O extends CommonOptions>(
  argv: readonly string[],
  out: { write(text: string): unknown },
  parse: (argv: readonly string[]) => O,
  usage: string,
  nothing: string,
): O | undefined {
  let opts: O;
  try {
    opts = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    throw new FaultlineError('usage', err.message);
  }
  if (opts.help) {
    out.write(usage);
    return undefined;
  }
  if (!hasInputs(opts)) throw new FaultlineError('usage', nothing);
  return opts;
}

/**
 * The inputs as the readers take them, relative paths resolved against the command's cwd. PATHs keep
 * the form the user gave when that cwd is the process's, so reports name files as the user knows them.
 */
export function readerInputs(
  o: CommonOptions,
  io: { cwd: string; stdin: NodeJS.ReadableStream; env: NodeJS.ProcessEnv },
) {
  return {
    paths: o.paths.map((p) => (p === '-' || io.cwd === process.cwd() ? p : resolve(io.cwd, p))),
    cluster: o.cluster,
    kubeconfig: o.kubeconfig === undefined ? undefined : resolve(io.cwd, o.kubeconfig),
    context: o.context,
    nodeRoot: o.nodeRoot === undefined ? undefined : resolve(io.cwd, o.nodeRoot),
    budget: o.budget,
    exclude: o.exclude,
    stdin: io.stdin,
    env: io.env,
  };
}
