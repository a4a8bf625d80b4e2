/**
 * Cilium agent health, when the node runs Cilium: GET /v1/healthz on the agent's unix socket (the API
 * `cilium status` uses; StatusResponse in api/v1/openapi.yaml), each component's state
 * (Ok | Warning | Failure | Disabled), failing controllers and stale status probes. Optionally, the
 * agent's Prometheus endpoint for API rate limiting (HTTP 429 to CNI ADD/DEL: pods stuck creating).
 */
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { Counter, Gauge } from 'prom-client';
import { z } from 'zod';
import { defineProbe, type TargetResult } from '../probe.ts';

export const ciliumConfigSchema = z.strictObject({
  /** Agent API socket; default <run>/cilium/cilium.sock. */
  socket: z.string().optional(),
  /**
   * The agent's metrics endpoint (e.g. "http://127.0.0.1:9962/metrics", an IP literal: no DNS at probe
   * time) for cilium_api_limiter_processed_requests_total. Unset: not scraped.
   */
  metricsUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Response bodies larger than this are refused (bytes). */
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
});

export type CiliumConfig = z.output<typeof ciliumConfigSchema>;

type ComponentState = 'Ok' | 'Warning' | 'Failure' | 'Disabled';

interface Component {
  name: string;
  state: string;
  msg: string;
}

/** Components with a `state` in a StatusResponse (top-level ones plus cluster.ciliumHealth). */
export function componentsOf(status: Record<string, unknown>): Component[] {
  const out: Component[] = [];
  const add = (name: string, v: unknown) => {
    if (typeof v !== 'object' || v === null) return;
    const s = v as { state?: unknown; msg?: unknown };
    if (typeof s.state !== 'string') return;
    out.push({ name, state: s.state, msg: typeof s.msg === 'string' ? s.msg : '' });
  };
  for (const [k, v] of Object.entries(status)) add(k, v);
  add('cluster-health', (status.cluster as { ciliumHealth?: unknown } | undefined)?.ciliumHealth);
  return out;
}

/** Controllers whose last runs failed (status.consecutive-failure-count > 0). */
export function failingControllers(status: Record<string, unknown>): { name: string; error: string }[] {
  const list = Array.isArray(status.controllers) ? status.controllers : [];
  const out: { name: string; error: string }[] = [];
  for (const c of list as { name?: unknown; status?: Record<string, unknown> }[]) {
    const n = Number(c.status?.['consecutive-failure-count'] ?? 0);
    if (n > 0) out.push({ name: String(c.name ?? '?'), error: String(c.status?.['last-failure-msg'] ?? '') });
  }
  return out;
}

/** Sum of one metric's samples in Prometheus text format, filtered by a label predicate. */
export function sumSamples(
  text: string,
  name: string,
  keep: (labels: Record<string, string>) => boolean = () => true,
): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]),
    );
    const v = Number(m[3]);
    if (!Number.isFinite(v) || !keep(labels)) continue;
    sum = (sum ?? 0) + v;
  }
  return sum;
}

/**
 * Requests the limiter turned away. Cilium ≥ 1.15 labels them return_code="429"; older versions only
 * say outcome="fail".
 */
export function rateLimited(metricsText: string): number | undefined {
  return sumSamples(metricsText, 'cilium_api_limiter_processed_requests_total', (l) =>
    l.return_code !== undefined ? l.return_code === '429' : l.outcome === 'fail',
  );
}

interface HttpOutcome {
  status?: number;
  body?: string;
  /** timeout | refused | error */
  failure?: 'timeout' | 'refused' | 'error';
  message?: string;
}

function httpGet(
  target: { socketPath: string; path: string } | { url: string },
  signal: AbortSignal,
  maxBytes: number,
): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: HttpOutcome) => {
      if (done) return;
      done = true;
      resolve(o);
    };
    const opts = { method: 'GET', signal, headers: { accept: 'application/json, text/plain' } };
    const req =
      'url' in target
        ? request(target.url, opts)
        : request({ ...opts, socketPath: target.socketPath, path: target.path, host: 'localhost' });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy();
          finish({ failure: 'error', message: `response larger than ${maxBytes} bytes` });
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => finish({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => finish({ failure: 'error', message: e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (signal.aborted) finish({ failure: 'timeout', message: 'no answer before the deadline' });
      else if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT')
        finish({ failure: 'refused', message: `${e.code}: nothing accepts connections` });
      else finish({ failure: 'error', message: `${e.code ?? ''} ${e.message}`.trim() });
    });
    req.end();
  });
}

const SEVERITY: Record<ComponentState, TargetResult['severity']> = {
  Ok: 'ok',
  Disabled: 'ok',
  Warning: 'degraded',
  Failure: 'failed',
};

/**
 * The limiter's rejections from the agent's Prometheus metrics (the "cilium-api-rate-limit" check):
 * the agent's counter becomes increments, counted from the new value after an agent restart.
 */
class RateLimitScraper {
  #last: number | undefined;
  constructor(
    private readonly url: string,
    private readonly maxBytes: number,
    private readonly counter: Counter,
  ) {}

  async read(signal: AbortSignal): Promise<TargetResult> {
    const check = 'cilium-api-rate-limit';
    const r = await httpGet({ url: this.url }, signal, this.maxBytes);
    if (r.failure || r.status !== 200) {
      return {
        check,
        ok: true,
        reason: 'metrics_unavailable',
        severity: 'ok',
        message: `cannot scrape ${this.url}: ${r.message ?? `HTTP ${r.status}`}`,
      };
    }
    const total = rateLimited(r.body ?? '') ?? 0;
    const delta = this.#last === undefined ? 0 : total >= this.#last ? total - this.#last : total;
    this.#last = total;
    if (delta > 0) this.counter.inc(delta);
    return {
      check,
      ok: delta === 0,
      reason: delta === 0 ? 'ok' : 'rate_limited',
      severity: delta === 0 ? 'ok' : 'degraded',
      message:
        delta === 0
          ? 'no Cilium API requests rate-limited since the last scrape'
          : `${delta} Cilium API requests were rate-limited (HTTP 429) since the last scrape: pod network setup is being throttled`,
      details: { rateLimitedTotal: total, new: delta },
    };
  }
}

/** /v1/healthz as a StatusResponse object, or why it is not one. */
function healthzStatus(
  api: HttpOutcome,
  socketPath: string,
): { status: Record<string, unknown> } | { problem: { reason: string; message: string } } {
  if (api.failure)
    return { problem: { reason: api.failure, message: `Cilium agent API ${socketPath}: ${api.message}` } };
  if (api.status !== 200)
    return {
      problem: {
        reason: 'http_error',
        message: `Cilium agent API answered HTTP ${api.status} to /v1/healthz`,
      },
    };
  try {
    const v = JSON.parse(api.body ?? '') as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
    return { status: v as Record<string, unknown> };
  } catch (e) {
    return {
      problem: {
        reason: 'bad_response',
        message: `Cilium /v1/healthz is not a StatusResponse: ${(e as Error).message}`,
      },
    };
  }
}

/** The "cilium" check from a StatusResponse: answering, with failing controllers or stale probes. */
function agentTarget(
  status: Record<string, unknown>,
  components: { name: string; state: string }[],
): TargetResult {
  const controllers = failingControllers(status);
  const stale = Object.keys((status.stale as Record<string, unknown> | undefined) ?? {});
  const problem =
    controllers.length > 0 ? 'controllers_failing' : stale.length > 0 ? 'stale_status' : undefined;
  return {
    check: 'cilium',
    ok: true,
    reason: problem ?? 'ok',
    severity: problem ? 'degraded' : 'ok',
    message: problem
      ? controllers.length > 0
        ? `Cilium agent answers, but ${controllers.length} controllers are failing (${controllers.map((c) => c.name).join(', ')})`
        : `Cilium agent answers, but its status probes are stale (${stale.join(', ')}): the agent may be stuck`
      : 'Cilium agent API answers /v1/healthz',
    details: {
      failingControllers: controllers,
      stale,
      states: Object.fromEntries(components.map((c) => [c.name, c.state])),
    },
  };
}

/** One "cilium:<component>" check per enabled component. */
function componentTarget(c: { name: string; state: string; msg?: string | undefined }): TargetResult {
  const known = c.state in SEVERITY;
  const severity = known ? SEVERITY[c.state as ComponentState] : 'degraded';
  return {
    check: `cilium:${c.name}`,
    ok: severity !== 'failed',
    reason: known ? c.state.toLowerCase() : 'unknown_state',
    severity,
    message: `Cilium ${c.name}: ${c.state}${c.msg ? ` — ${c.msg}` : ''}`,
    details: { state: c.state, msg: c.msg },
  };
}

export const ciliumProbe = defineProbe({
  name: 'cilium',
  configSchema: ciliumConfigSchema,
  create(cfg, env) {
    const registers = [env.registry];
    const healthy = new Gauge({
      name: 'faultline_cilium_healthy',
      help: 'Whether the Cilium agent API answered /v1/healthz and no component reports Failure.',
      registers,
    });
    const componentHealthy = new Gauge({
      name: 'faultline_cilium_component_healthy',
      help: 'Whether a Cilium component reports state Ok (1) or Warning/Failure (0); Disabled ones are not listed.',
      labelNames: ['component'],
      registers,
    });
    const limiter = cfg.metricsUrl
      ? new RateLimitScraper(
          cfg.metricsUrl,
          cfg.maxBytes,
          new Counter({
            name: 'faultline_cilium_api_rate_limited_total',
            help: 'Cilium agent API requests rejected by its rate limiter (HTTP 429), from cilium_api_limiter_processed_requests_total.',
            registers,
          }),
        )
      : undefined;
    const socketPath = cfg.socket ?? join(env.paths.run, 'cilium', 'cilium.sock');

    return {
      async run(signal) {
        try {
          await stat(socketPath);
        } catch {
          healthy.reset();
          return {
            ok: true,
            reason: 'absent',
            message: `no Cilium agent socket at ${socketPath}`,
            targets: [],
          };
        }
        const [api, limited] = await Promise.all([
          httpGet({ socketPath, path: '/v1/healthz' }, signal, cfg.maxBytes),
          limiter?.read(signal),
        ]);
        const targets: TargetResult[] = [];
        const h = healthzStatus(api, socketPath);
        if ('problem' in h) {
          healthy.set(0);
          targets.push({ check: 'cilium', ok: false, severity: 'failed', ...h.problem });
        } else {
          const components = componentsOf(h.status);
          targets.push(agentTarget(h.status, components));
          for (const c of components) {
            if (c.state === 'Disabled') continue;
            componentHealthy.set({ component: c.name }, c.state === 'Ok' ? 1 : 0);
            targets.push(componentTarget(c));
          }
          healthy.set(components.some((c) => c.state === 'Failure') ? 0 : 1);
        }
        if (limited) targets.push(limited);
        return { ok: true, reason: 'ok', message: `Cilium: ${targets.length} checks`, targets };
      },
    };
  },
});
