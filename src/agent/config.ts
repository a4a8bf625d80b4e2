/**
 * The agent's one YAML config file, validated strictly (unknown keys are errors, as blackbox_exporter
 * does) so a typo never silently disables a probe. Each `probes.<name>` block is validated by that
 * probe's own schema; `alerts` by delivery's schema. Errors name the YAML path and file:line.
 */
import { hostname } from 'node:os';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { FaultlineError } from '../core/errors.ts';
import type { SourceLocation } from '../core/location.ts';
import { duration } from './duration.ts';
import { DEFAULT_HOST_PATHS, type ProbeDefinition } from './probe.ts';

export interface ListenAddress {
  host: string;
  port: number;
}

/** "127.0.0.1:9464", "[::]:9464", ":9464" (all interfaces). */
export function parseListen(text: string): ListenAddress | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/**
 * Default port 9464: in Prometheus' exporter range (9100–9999), clear of what usually runs on a node
 * next to it (node_exporter 9100, blackbox_exporter 9115, kubelet 10250, Cilium 9962–9965). It is
 * also OpenTelemetry SDKs' Prometheus-exporter default: a hostNetwork pod using that would clash,
 * so `listen` is the first thing to change when the port is taken.
 */
export const DEFAULT_LISTEN = '0.0.0.0:9464';

const listenSchema = z.string().transform((s, ctx) => {
  const addr = parseListen(s);
  if (!addr) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid listen address '${s}' (use host:port, e.g. 127.0.0.1:9464)`,
    });
    return z.NEVER;
  }
  return addr;
});

const pathsSchema = z
  .strictObject({
    proc: z.string().min(1),
    sys: z.string().min(1),
    etc: z.string().min(1),
    run: z.string().min(1),
    kmsg: z.string().min(1),
  })
  .partial();

const statesSchema = z.strictObject({
  /** Consecutive bad results before ok → degraded. 1 = alert on the first bad round (speed first). */
  degradeAfter: z.number().int().min(1).default(1),
  /** Consecutive failed results before → failed. */
  failAfter: z.number().int().min(1).default(3),
  /** Consecutive good results before recovering. */
  recoverAfter: z.number().int().min(1).default(2),
});

const riskSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** IO pressure (PSI some avg10, percent) above which IO stalls count as a freeze signal. */
  ioPressureSomeAvg10: z.number().min(0).max(100).default(40),
  /** D-state processes must grow over this many consecutive scans to count as a signal. */
  dstateGrowthScans: z.number().int().min(2).default(3),
  /** Signals needed together (a hung mount alone is a MountHung, not yet a freeze). */
  minSignals: z.number().int().min(1).default(2),
});

const journalSchema = z.strictObject({
  heartbeat: duration().default(30_000),
  /** Rotate (keep one previous file) beyond this size. */
  maxBytes: z.number().int().min(4096).default(1_048_576),
});

const kubernetesSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Path to a kubeconfig; default: in-cluster service account, then $KUBECONFIG / ~/.kube/config. */
  kubeconfig: z.string().optional(),
  nodeConditions: z.boolean().default(true),
  events: z.boolean().default(true),
  /** Namespace for Events about the Node (node-problem-detector uses "default"). */
  eventNamespace: z.string().default('default'),
  /** Conditions are re-sent at least this often (NPD's default heartbeat period is 5m). */
  heartbeat: duration().default(300_000),
  /** Per-request deadline: an unreachable API server must never hold anything up. */
  timeout: duration().default(5_000),
});

/** Keys of a `probes.<name>` block owned by the harness; the rest goes to the probe's own schema. */
const HARNESS_KEYS = ['enabled', 'interval', 'timeout'] as const;

const probeHarnessSchema = z.strictObject({
  enabled: z.boolean().default(true),
  interval: duration().optional(),
  timeout: duration().optional(),
});

export interface ProbeSettings {
  enabled: boolean;
  /** Milliseconds; falls back to the top-level interval/timeout. */
  interval: number;
  timeout: number;
  /** Output of the probe's own configSchema. */
  config: unknown;
}

export interface AgentConfig {
  listen: ListenAddress;
  node: string;
  stateDir: string;
  interval: number;
  timeout: number;
  paths: typeof DEFAULT_HOST_PATHS;
  states: z.output<typeof statesSchema>;
  risk: z.output<typeof riskSchema>;
  journal: z.output<typeof journalSchema>;
  probes: Record<string, ProbeSettings>;
  alerts: unknown;
  kubernetes: z.output<typeof kubernetesSchema>;
  /** The file it came from (for messages). */
  file: string;
  /** Where `listen` and `stateDir` are written (or the file alone), for errors found at start. */
  where: Record<'listen' | 'stateDir', SourceLocation>;
}

export interface ConfigContext {
  probes: readonly ProbeDefinition[];
  /** Delivery's schema for the `alerts:` block. */
  alertsSchema: z.ZodType;
  env?: NodeJS.ProcessEnv;
}

interface Issue {
  path: (string | number)[];
  message: string;
}

function topSchema(alertsSchema: z.ZodType, env: NodeJS.ProcessEnv) {
  return z.strictObject({
    listen: listenSchema.default(parseListen(DEFAULT_LISTEN)!),
    node: z
      .string()
      .min(1)
      .default(() => env.NODE_NAME || hostname()),
    stateDir: z.string().min(1).default('/var/lib/faultline'),
    interval: duration().default(5_000),
    timeout: duration().default(3_000),
    paths: pathsSchema.default({}),
    states: statesSchema.default(statesSchema.parse({})),
    risk: riskSchema.default(riskSchema.parse({})),
    journal: journalSchema.default(journalSchema.parse({})),
    probes: z.record(z.string(), z.unknown()).default({}),
    alerts: alertsSchema.optional(),
    kubernetes: kubernetesSchema.default(kubernetesSchema.parse({})),
  });
}

/** Parse and validate config text; throws one FaultlineError listing every problem with file:line. */
export function parseAgentConfig(text: string, file: string, ctx: ConfigContext): AgentConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new FaultlineError('config', `YAML: ${e.message.split('\n')[0]}`, {
      file,
      line: e.linePos?.[0]?.line ?? lineOf(e.pos[0]),
    });
  }
  const raw: unknown = doc.toJS() ?? {};
  const root = doc.contents as Node | null;
  const issues: Issue[] = [];
  const env = ctx.env ?? process.env;

  const top = topSchema(ctx.alertsSchema, env).safeParse(raw);
  if (!top.success) {
    for (const i of top.error.issues) issues.push(...expandIssue(i));
  }

  const probes = parseProbeBlocks(raw, ctx.probes, top.success ? top.data : undefined, issues);
  if (top.success && top.data.timeout > top.data.interval) {
    issues.push({ path: ['timeout'], message: 'timeout must not exceed interval' });
  }

  if (issues.length > 0 || !top.success) throw configError(issues, root, file, lineOf);
  const d = top.data;
  return {
    listen: d.listen,
    node: d.node,
    stateDir: d.stateDir,
    interval: d.interval,
    timeout: d.timeout,
    paths: { ...DEFAULT_HOST_PATHS, ...stripUndefined(d.paths) },
    states: d.states,
    risk: d.risk,
    journal: d.journal,
    probes,
    alerts: d.alerts,
    kubernetes: d.kubernetes,
    file,
    where: {
      listen: locate(root, ['listen'], file, lineOf),
      stateDir: locate(root, ['stateDir'], file, lineOf),
    },
  };
}

/** The `probes:` mapping: each known probe's harness keys and own config, defaulted and checked. */
function parseProbeBlocks(
  raw: unknown,
  defs: readonly ProbeDefinition[],
  top: { interval: number; timeout: number } | undefined,
  issues: Issue[],
): Record<string, ProbeSettings> {
  const known = new Map(defs.map((p) => [p.name, p]));
  const probeBlocks =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? ((raw as Record<string, unknown>).probes ?? {})
      : {};
  const probes: Record<string, ProbeSettings> = {};
  if (!probeBlocks || typeof probeBlocks !== 'object' || Array.isArray(probeBlocks)) return probes;
  const blocks = probeBlocks as Record<string, unknown>;
  for (const name of Object.keys(blocks)) {
    if (!known.has(name)) {
      issues.push({
        path: ['probes', name],
        message: `unknown probe '${name}' (known: ${[...known.keys()].join(', ') || 'none'})`,
      });
    }
  }
  const defaults = { interval: top?.interval ?? 5_000, timeout: top?.timeout ?? 3_000 };
  for (const def of defs) {
    const settings = probeSettings(def, blocks[def.name] ?? {}, defaults, issues);
    if (settings !== undefined) probes[def.name] = settings;
  }
  return probes;
}

/** One probe's block: the harness keys (enabled, interval, timeout) apart from the probe's own. */
function probeSettings(
  def: ProbeDefinition,
  block: unknown,
  defaults: { interval: number; timeout: number },
  issues: Issue[],
): ProbeSettings | undefined {
  if (block === null || typeof block !== 'object' || Array.isArray(block)) {
    issues.push({ path: ['probes', def.name], message: 'expected a mapping' });
    return undefined;
  }
  const harnessPart: Record<string, unknown> = {};
  const probePart: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(block)) {
    if ((HARNESS_KEYS as readonly string[]).includes(k)) harnessPart[k] = v;
    else probePart[k] = v;
  }
  const h = probeHarnessSchema.safeParse(harnessPart);
  const p = def.configSchema.safeParse(probePart);
  if (!h.success) for (const i of h.error.issues) issues.push(...expandIssue(i, ['probes', def.name]));
  if (!p.success) for (const i of p.error.issues) issues.push(...expandIssue(i, ['probes', def.name]));
  if (!h.success || !p.success) return undefined;
  const settings: ProbeSettings = {
    enabled: h.data.enabled,
    interval: h.data.interval ?? defaults.interval,
    timeout: h.data.timeout ?? defaults.timeout,
    config: p.data,
  };
  if (settings.timeout > settings.interval) {
    issues.push({
      path: ['probes', def.name, 'timeout'],
      message: `timeout (${settings.timeout} ms) must not exceed the interval (${settings.interval} ms)`,
    });
  }
  return settings;
}

/** Every issue in one error, sorted by line, each with its file:line; the first one locates the error. */
function configError(
  issues: Issue[],
  root: Node | null,
  file: string,
  lineOf: (offset: number) => number,
): FaultlineError {
  const located = issues
    .map((i) => ({ ...i, loc: locate(root, i.path, file, lineOf) }))
    .sort((a, b) => (a.loc.line ?? 0) - (b.loc.line ?? 0));
  const [first, ...rest] = located;
  const fmt = (i: (typeof located)[number]) => `${formatPath(i.path)}: ${i.message}`;
  const more = rest.map((i) => `\n  ${i.loc.file}:${i.loc.line ?? '?'}: ${fmt(i)}`).join('');
  return new FaultlineError('config', `${fmt(first!)}${more}`, first!.loc);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** zod reports unknown keys on the parent object; point at each key instead. */
function expandIssue(i: z.core.$ZodIssue, prefix: (string | number)[] = []): Issue[] {
  const path = [...prefix, ...(i.path as (string | number)[])];
  if (i.code === 'unrecognized_keys') {
    return i.keys.map((k) => ({ path: [...path, k], message: `unknown key '${k}'` }));
  }
  return [{ path, message: i.message }];
}

export function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** The deepest YAML node along `path` (a missing key points at its parent mapping). */
function locate(
  root: Node | null,
  path: (string | number)[],
  file: string,
  lineOf: (offset: number) => number,
): SourceLocation {
  let cur: Node | null = root;
  for (const key of path) {
    if (isMap(cur)) {
      const pair = cur.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      // An unknown key is best shown at the key itself; values at their own line.
      cur = ((pair.value as Node | null) ?? (pair.key as Node)) as Node;
      if (key === path[path.length - 1] && pair.key) cur = pair.key as Node;
    } else if (isSeq(cur) && typeof key === 'number') {
      const item = cur.items[key] as Node | undefined;
      if (!item) break;
      cur = item;
    } else {
      break;
    }
  }
  const start = cur?.range?.[0];
  return start === undefined ? { file } : { file, line: lineOf(start) };
}

/** Read and validate a config file; unreadable files are config errors naming the file. */
export async function loadAgentConfigFile(file: string, ctx: ConfigContext): Promise<AgentConfig> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FaultlineError('config', `cannot read config: ${(err as Error).message}`, { file });
  }
  return parseAgentConfig(text, file, ctx);
}
