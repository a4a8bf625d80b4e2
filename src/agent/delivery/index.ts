/**
 * createDelivery: the AlertQueue the agent hands alerts to.
 *
 *   enqueue → dedupe / rate limit → durable outbox (fsync) → one worker per sink → HTTP to a cached IP
 *
 * Guarantees, stated exactly: once enqueue() resolves, the alert is on local disk and will be sent
 * to every configured sink until that sink answers 2xx (or refuses it with a 4xx, or it grows older
 * than outbox.maxAgeSeconds) — across crashes and restarts. Delivery is at-least-once per sink: a
 * receiver gets an alert twice when it stored it but its 2xx did not reach the agent (answered after
 * the sink's timeout, died or lost the connection before answering, or the agent died before the
 * ack's fsync). The alert id (X-Faultline-Alert-Id header and body) lets it drop that double;
 * "exactly once" is this: at-least-once plus an idempotency key. Details: README.md, "Guarantees".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { FaultlineError } from '../../core/errors.ts';
import type { Log } from '../log.ts';
import { AddressBook, type Resolver } from './addresses.ts';
import type { Alert, AlertQueue } from './alert.ts';
import type { DeliveryConfig, SinkConfig } from './config.ts';
import { type DeliveryMetrics, registerDeliveryMetrics } from './metrics.ts';
import { Outbox } from './outbox.ts';
import { Deduper, KeyedTokenBucket } from './policy.ts';
import { SINKS } from './sinks/index.ts';
import type { SinkDefinition, SinkRequest } from './sinks/sink.ts';
import type { send } from './transport.ts';
import { Waiters } from './waiters.ts';
import { SinkWorker, type WorkerOptions } from './worker.ts';

export type { Resolver } from './addresses.ts';
export type { Alert, AlertQueue } from './alert.ts';
export { type DeliveryConfig, deliveryConfigSchema } from './config.ts';

export interface DeliveryEnv {
  /** Local disk only: the outbox and the address cache live under `<stateDir>/delivery/`. */
  stateDir: string;
  registry: Registry;
  log: Log;
  /** This node's name; fills Alert.node when detection left it empty. */
  node: string;
  /** Name resolution for sink hosts (default: the system resolver); called only by the refresh timer. */
  resolver?: Resolver;
  now?: () => number;
  /** Replaces the HTTP attempt (benchmarks only). */
  sendFn?: typeof send;
  /** Told when the outbox cannot write (error) and when it can again (undefined): the agent's health. */
  onPersist?: (error: string | undefined) => void;
}

export interface Delivery extends AlertQueue {
  /** Retry waiting sinks now instead of after their backoff. */
  flush(): void;
  /** Resolves when nothing is pending (tests); rejects after timeoutMs. */
  drain(timeoutMs?: number): Promise<void>;
  readonly outbox: Outbox;
  readonly addresses: AddressBook;
}

export const DELIVERY_DIR = 'delivery';

export async function createDelivery(config: DeliveryConfig, env: DeliveryEnv): Promise<Delivery> {
  const now = env.now ?? Date.now;
  // Read before anything starts: a missing CA file is a config error, not a send-time surprise.
  const cas = config.sinks.map((s) => (s.caFile === undefined ? undefined : readCa(s.name, s.caFile)));
  const sinkNames = config.sinks.map((s) => s.name);
  const { outbox, addresses } = await openLocalState(join(env.stateDir, DELIVERY_DIR), config, env, now);
  const metrics = registerDeliveryMetrics(env.registry, sinkNames, outbox, now);
  const admission = new Admission(config, outbox, metrics, env.log, now);
  const progress = new Waiters();
  const workers = startWorkers(config.sinks, cas, {
    outbox,
    lookup: addresses.lookup,
    retry: config.retry,
    maxAgeMs: config.outbox.maxAgeSeconds * 1000,
    metrics,
    log: env.log,
    onProgress: () => progress.notify(),
    now,
    ...(env.sendFn ? { sendFn: env.sendFn } : {}),
  });
  const pendingAtStart = outbox.pendingCount();
  if (pendingAtStart > 0)
    env.log('info', 'delivery: resending alerts left in the outbox', { pending: pendingAtStart });

  let closed = false;

  async function enqueue(input: Alert): Promise<void> {
    if (closed) throw new Error('delivery is closed');
    checkIdentity(input);
    if (outbox.has(input.id)) return;
    const alert: Alert = input.node ? input : { ...input, node: env.node };
    if (sinkNames.length === 0) {
      env.log('debug', 'delivery: no sinks configured; alert not kept', { id: alert.id, key: alert.key });
      return;
    }
    if (!admission.admit(alert)) return;
    await makeRoom(outbox, config.outbox.maxEntries, metrics, env.log);
    await outbox.enqueue(alert, sinkNames);
    for (const w of workers) w.wake();
  }

  return {
    enqueue,
    pending: () => outbox.pendingCount(),
    async close() {
      if (closed) return;
      closed = true;
      addresses.close();
      await Promise.all(workers.map((w) => w.close()));
      await outbox.close();
    },
    flush() {
      for (const w of workers) w.retryNow();
    },
    async drain(timeoutMs = 30_000) {
      await progress.until(
        () => (outbox.pendingCount() === 0 ? true : undefined),
        timeoutMs,
        () => new Error(`delivery: ${outbox.pendingCount()} alert(s) still pending after ${timeoutMs} ms`),
      );
    },
    outbox,
    addresses,
  };
}

/** The outbox and the sinks' address cache, both under `<stateDir>/delivery/`. */
async function openLocalState(
  dir: string,
  config: DeliveryConfig,
  env: DeliveryEnv,
  now: () => number,
): Promise<{ outbox: Outbox; addresses: AddressBook }> {
  const outbox = await Outbox.open(dir, {
    sinks: config.sinks.map((s) => s.name),
    retainDeliveredMs: config.dedupeWindow,
    retainIdsMs: config.outbox.maxAgeSeconds * 1000,
    maxEntries: config.outbox.maxEntries,
    log: env.log,
    now,
    ...(env.onPersist ? { onPersist: env.onPersist } : {}),
  });
  // The address cache is an optimisation: a state dir it cannot use must not stop delivery.
  const addresses = await AddressBook.open({
    stateDir: dir,
    hosts: config.sinks.map((s) => new URL(s.url).hostname.replace(/^\[|\]$/g, '')),
    refreshMs: config.addressRefresh,
    log: env.log,
    ...(env.resolver ? { resolver: env.resolver } : {}),
  });
  return { outbox, addresses };
}

/** One started worker per sink; they share the outbox, the address cache, the policy and the metrics. */
function startWorkers(
  sinks: readonly SinkConfig[],
  cas: readonly (string | undefined)[],
  shared: Omit<WorkerOptions, 'sink' | 'render' | 'timeoutMs' | 'ca' | 'resendMs'>,
): SinkWorker[] {
  const workers = sinks.map(
    (s, i) =>
      new SinkWorker({
        ...shared,
        sink: s.name,
        render: rendererFor(s),
        timeoutMs: s.timeout,
        ...(cas[i] !== undefined ? { ca: cas[i] } : {}),
        ...('resendInterval' in s ? { resendMs: s.resendInterval } : {}),
      }),
  );
  for (const w of workers) w.start();
  return workers;
}

function checkIdentity(input: Alert): void {
  if (typeof input.id !== 'string' || input.id === '' || typeof input.key !== 'string' || input.key === '')
    throw new Error('alert needs a non-empty id and key');
}

/** Dedupe and the per-key rate limit: whether a new alert is kept (the ones that are not are counted). */
class Admission {
  private readonly deduper: Deduper;
  private readonly bucket: KeyedTokenBucket;

  constructor(
    config: DeliveryConfig,
    outbox: Outbox,
    private readonly metrics: DeliveryMetrics,
    private readonly log: Log,
    private readonly now: () => number,
  ) {
    this.deduper = new Deduper(config.dedupeWindow);
    for (const e of outbox.all())
      if (e.alert.kind !== 'previous-boot') this.deduper.remember(e.alert, e.enqueuedAt);
    this.bucket = new KeyedTokenBucket(config.rateLimit.perKey.count, config.rateLimit.perKey.window, now);
  }

  admit(alert: Alert): boolean {
    const at = this.now();
    // A previous-boot report is an event, not a state: each run's report is news (a reboot loop
    // shows as several), so it is never deduped — only rate-limited like any firing alert.
    if (alert.kind !== 'previous-boot' && this.deduper.isDuplicate(alert, at)) {
      this.metrics.suppressed.labels('duplicate').inc();
      this.log('debug', 'delivery: same state again within the dedupe window; not re-sent', {
        key: alert.key,
      });
      return false;
    }
    // A resolved alert is never held back: dropping it would leave a receiver showing a stale firing.
    if (alert.status === 'firing' && !this.bucket.take(alert.key)) {
      this.metrics.suppressed.labels('rate_limited').inc();
      this.log('warn', 'delivery: alert rate limit reached for this key; not sent', { key: alert.key });
      return false;
    }
    if (alert.kind !== 'previous-boot') this.deduper.remember(alert, at);
    return true;
  }
}

/** Bounded outbox: the oldest pending alert goes first (the newest says most about the node now). */
async function makeRoom(
  outbox: Outbox,
  maxEntries: number,
  metrics: DeliveryMetrics,
  log: Log,
): Promise<void> {
  while (outbox.pendingCount() >= maxEntries) {
    const oldest = outbox.pending()[0];
    if (oldest === undefined) return;
    metrics.suppressed.labels('overflow').inc();
    log('warn', 'delivery: outbox full; dropping the oldest pending alert', { id: oldest.alert.id });
    for (const s of oldest.sinks) if (!oldest.done.has(s)) await outbox.drop(oldest.alert.id, s, 'overflow');
  }
}

function readCa(sink: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new FaultlineError('config', `alerts.sinks '${sink}': cannot read caFile ${file}: ${String(err)}`);
  }
}

function rendererFor(config: SinkConfig): (entry: { alert: Alert }) => SinkRequest {
  const def = SINKS.find((s) => s.type === config.type) as SinkDefinition | undefined;
  if (def === undefined) throw new Error(`unknown sink type '${config.type}'`);
  return (entry) => def.render(entry.alert, config);
}
