/**
 * NodeConditions and Events for this node. Like node-problem-detector's condition manager: updates are
 * coalesced (at most one PATCH per second), re-sent on failure after a resync delay and at least every
 * heartbeat period; the PATCH is a strategic merge patch of status.conditions on nodes/<name>/status
 * (conditions merge by type, so the kubelet's own are untouched). Events are best effort: a bounded
 * queue, one attempt each. Nothing here is awaited by probing: an unreachable API server only shows as
 * failed requests in the metrics and the log.
 */
import { randomBytes } from 'node:crypto';
import { Counter, type Registry } from 'prom-client';
import type { Alert } from '../delivery/alert.ts';
import type { Log, NodeReporter } from '../runtime/agent.ts';
import type { RiskVerdict } from '../runtime/risk.ts';
import type { CheckSnapshot } from '../runtime/state.ts';
import { createKubeApi, type KubeApi } from './api.ts';
import { conditionTypeOf, desiredConditions, type NodeCondition } from './conditions.ts';

export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

export interface ReporterOptions {
  nodeConditions: boolean;
  events: boolean;
  eventNamespace: string;
  /** ms; conditions are re-sent at least this often. */
  heartbeat: number;
  /** ms per API request. */
  timeout: number;
  kubeconfig?: string | undefined;
  /** ms to wait after a failed PATCH before trying again (NPD: 10 s). */
  resync?: number;
  /** ms to coalesce updates (NPD: 1 s). */
  coalesce?: number;
}

export interface ReporterEnv {
  node: string;
  registry: Registry;
  log: Log;
  api?: KubeApi;
  now?: () => Date;
}

export function createNodeReporter(opts: ReporterOptions, env: ReporterEnv): NodeReporter {
  const api = env.api ?? createKubeApi({ kubeconfig: opts.kubeconfig, timeoutMs: opts.timeout });
  return new KubeNodeReporter(opts, { ...env, api });
}

const MAX_PENDING_EVENTS = 100;

export class KubeNodeReporter implements NodeReporter {
  private readonly now: () => Date;
  private readonly requests: Counter<'kind' | 'result'>;
  /** What the API server was last told (or is about to be). */
  private current = new Map<string, NodeCondition>();
  private dirty = false;
  private lastSent = 0;
  private lastFailed = 0;
  private sending: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly events: Record<string, unknown>[] = [];
  private eventLoop: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly opts: ReporterOptions,
    private readonly env: ReporterEnv & { api: KubeApi },
  ) {
    this.now = env.now ?? (() => new Date());
    this.requests = new Counter({
      name: 'faultline_kubernetes_requests_total',
      help: 'Requests to the Kubernetes API by kind (conditions, event) and result (ok, error).',
      labelNames: ['kind', 'result'],
      registers: [env.registry],
    });
    for (const kind of ['conditions', 'event'])
      for (const result of ['ok', 'error']) this.requests.inc({ kind, result }, 0);
    // Heartbeats and retries run off one timer; it never keeps the process alive on its own.
    this.timer = setInterval(() => this.maybeSync(), Math.min(1000, opts.heartbeat));
    this.timer.unref();
  }

  update(states: Record<string, CheckSnapshot>, risk: RiskVerdict): void {
    if (!this.opts.nodeConditions || this.stopped) return;
    const at = this.now().toISOString();
    const next = new Map<string, NodeCondition>();
    for (const d of desiredConditions(states, risk)) {
      const prev = this.current.get(d.type);
      const changed =
        !prev || prev.status !== d.status || prev.reason !== d.reason || prev.message !== d.message;
      if (changed) this.dirty = true;
      next.set(d.type, {
        ...d,
        lastHeartbeatTime: prev?.lastHeartbeatTime ?? at,
        lastTransitionTime: prev && prev.status === d.status ? prev.lastTransitionTime : at,
      });
    }
    this.current = next;
    if (this.dirty) this.schedule();
  }

  event(alert: Alert): void {
    if (!this.opts.events || this.stopped) return;
    if (this.events.length >= MAX_PENDING_EVENTS) this.events.shift();
    this.events.push(this.eventBody(alert));
    this.eventLoop ??= this.drainEvents().finally(() => {
      this.eventLoop = undefined;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([this.sending, this.eventLoop]);
  }

  /** The PATCH body node-problem-detector sends: all of our conditions, merged by type. */
  patchBody(at: string): { status: { conditions: NodeCondition[] } } {
    const conditions = [...this.current.values()].map((c) => ({ ...c, lastHeartbeatTime: at }));
    return { status: { conditions } };
  }

  private schedule(): void {
    const wait = Math.max(0, (this.opts.coalesce ?? 1000) - (Date.now() - this.lastSent));
    const t = setTimeout(() => this.maybeSync(), wait);
    t.unref();
  }

  private maybeSync(): void {
    if (this.stopped || this.sending || this.current.size === 0) return;
    const since = Date.now() - this.lastSent;
    const retryDue = this.lastFailed > 0 && Date.now() - this.lastFailed >= (this.opts.resync ?? 10_000);
    const needed =
      (this.dirty && (this.lastFailed === 0 || retryDue) && since >= (this.opts.coalesce ?? 1000)) ||
      since >= this.opts.heartbeat;
    if (!needed) return;
    this.sending = this.sync().finally(() => {
      this.sending = undefined;
    });
  }

  private async sync(): Promise<void> {
    const at = this.now().toISOString();
    const body = this.patchBody(at);
    this.dirty = false;
    this.lastSent = Date.now();
    try {
      const res = await this.env.api.request(
        'PATCH',
        `/api/v1/nodes/${encodeURIComponent(this.env.node)}/status`,
        body,
        STRATEGIC_MERGE_PATCH,
      );
      if (res.status < 200 || res.status >= 300)
        throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      for (const c of this.current.values()) c.lastHeartbeatTime = at;
      this.lastFailed = 0;
      this.requests.inc({ kind: 'conditions', result: 'ok' });
    } catch (err) {
      this.dirty = true;
      this.lastFailed = Date.now();
      this.requests.inc({ kind: 'conditions', result: 'error' });
      this.env.log('warn', 'kubernetes: could not update node conditions', { error: String(err) });
    }
  }

  private eventBody(alert: Alert): Record<string, unknown> {
    const at = this.now().toISOString();
    const node = this.env.node;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${node}.${randomBytes(8).toString('hex')}`, namespace: this.opts.eventNamespace },
      // NPD's node reference: the node name doubles as its uid.
      involvedObject: { apiVersion: 'v1', kind: 'Node', name: node, uid: node, namespace: '' },
      reason: eventReason(alert),
      message:
        `${alert.title}${alert.message && alert.message !== alert.title ? `: ${alert.message}` : ''}`.slice(
          0,
          1024,
        ),
      source: { component: 'faultline', host: node },
      reportingComponent: 'faultline',
      reportingInstance: node,
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      type: alert.status === 'resolved' || alert.severity === 'info' ? 'Normal' : 'Warning',
    };
  }

  private async drainEvents(): Promise<void> {
    for (let body = this.events.shift(); body; body = this.events.shift()) {
      try {
        const res = await this.env.api.request(
          'POST',
          `/api/v1/namespaces/${encodeURIComponent(this.opts.eventNamespace)}/events`,
          body,
          'application/json',
        );
        if (res.status < 200 || res.status >= 300)
          throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
        this.requests.inc({ kind: 'event', result: 'ok' });
      } catch (err) {
        this.requests.inc({ kind: 'event', result: 'error' });
        this.env.log('warn', 'kubernetes: could not create event', {
          reason: body.reason,
          error: String(err),
        });
      }
    }
  }
}

/** CamelCase Event reasons, as NPD's: the condition's reason when firing, its "healthy" reason when resolved. */
export function eventReason(alert: Alert): string {
  if (alert.kind === 'previous-boot') {
    return alert.evidence.rebooted === true ? 'NodeRebooted' : 'AgentStoppedUncleanly';
  }
  if (alert.kind === 'node-at-risk') return alert.status === 'firing' ? 'NodeAtRisk' : 'NodeNoLongerAtRisk';
  const ct = conditionTypeOf(alert.check);
  if (ct) return alert.status === 'firing' ? ct.trueReason : ct.falseReason;
  return alert.status === 'firing' ? 'CheckFailing' : 'CheckRecovered';
}
