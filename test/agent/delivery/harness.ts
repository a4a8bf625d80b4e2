/** Shared test setup for delivery: a fixed alert, temp state dirs, one delivery per receiver. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { Alert } from '../../../src/agent/delivery/alert.ts';
import { type DeliveryConfigInput, deliveryConfigSchema } from '../../../src/agent/delivery/config.ts';
import { createDelivery, type Delivery, type DeliveryEnv } from '../../../src/agent/delivery/index.ts';
import { Outbox, type OutboxOptions } from '../../../src/agent/delivery/outbox.ts';
import { type Received, type Receiver, startReceiver } from './receiver.ts';

export const NFS_ALERT: Alert = {
  id: '01JDQ4Z7K3N5V2M8X9A1B2C3D4',
  key: 'nfs-server:10.0.0.5:2049',
  kind: 'transition',
  severity: 'critical',
  status: 'firing',
  node: 'worker-3',
  check: 'nfs-server:10.0.0.5:2049',
  title: 'NFS server 10.0.0.5:2049 accepts TCP but does not answer RPC',
  message:
    'RPC NULL (program 100003 v4) got no reply within 2 s, 3 times in a row. Pods with hard NFS mounts from it will hang.',
  evidence: {
    reason: 'rpc_timeout',
    rpcNullMs: null,
    tcpConnectMs: 0.4,
    consecutive: 3,
    previous: 'degraded',
  },
  createdAt: '2026-11-25T16:40:12.345Z',
};

/**
 * A clock injected into deliveries that send the fixed NFS_ALERT: it starts one second after the fixture was
 * made and advances with the monotonic clock, so the alert is never older than `maxAgeSeconds`, whatever
 * today's date is (the fixture's fixed timestamps are what the sinks' exact-output assertions compare).
 */
export function fixtureClock(): () => number {
  const start = Date.parse(NFS_ALERT.createdAt) + 1000;
  const t0 = performance.now();
  return () => start + Math.floor(performance.now() - t0);
}

export function alert(n: number, over: Partial<Alert> = {}): Alert {
  return {
    ...NFS_ALERT,
    id: `alert-${n}`,
    key: `mount:/mnt/${n}`,
    check: `mount:/mnt/${n}`,
    title: `mount /mnt/${n} hangs`,
    createdAt: new Date().toISOString(),
    ...over,
  };
}

export const quiet: DeliveryEnv['log'] = () => {};

export type LogLine = { level: string; msg: string; fields?: Record<string, unknown> };

export function captureLog(): { log: DeliveryEnv['log']; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    log: (level, msg, fields) => {
      lines.push(fields ? { level, msg, fields } : { level, msg });
    },
  };
}

const dirs: string[] = [];
export function tempStateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'faultline-delivery-'));
  dirs.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function deliveryFor(
  input: DeliveryConfigInput,
  env: Partial<DeliveryEnv> = {},
): Promise<{ d: Delivery; registry: Registry; stateDir: string }> {
  const registry = env.registry ?? new Registry();
  const stateDir = env.stateDir ?? tempStateDir();
  const d = await createDelivery(deliveryConfigSchema.parse(input), {
    log: quiet,
    node: 'worker-3',
    ...env,
    registry,
    stateDir,
  });
  return { d, registry, stateDir };
}

/**
 * Sends `alerts` (in order) through sinks pointed at a fresh local receiver (`sinks(url)`), on the
 * fixture clock; returns what the receiver got and its port, once everything is delivered.
 */
export async function sendThrough(
  sinks: (url: string) => DeliveryConfigInput['sinks'],
  alerts: Alert[],
): Promise<{ received: Received[]; port: number }> {
  const rx = await startReceiver();
  const { d } = await deliveryFor({ sinks: sinks(rx.url) }, { now: fixtureClock() });
  try {
    for (const a of alerts) await d.enqueue(a);
    await d.drain(10_000);
    return { received: rx.received, port: rx.port };
  } finally {
    await d.close();
    await rx.stop();
  }
}

/**
 * One webhook sink named `hook` at a fresh receiver, plus `config`; runs `body` with the delivery, its
 * registry and the receiver, then closes the delivery and stops the receiver.
 */
export async function withHook(
  config: Omit<DeliveryConfigInput, 'sinks'>,
  body: (t: { d: Delivery; registry: Registry; rx: Receiver }) => Promise<void>,
  env: Partial<DeliveryEnv> = {},
): Promise<void> {
  const rx = await startReceiver();
  const { d, registry } = await deliveryFor(
    { ...config, sinks: [{ type: 'webhook', name: 'hook', url: rx.url }] },
    env,
  );
  try {
    await body({ d, registry, rx });
  } finally {
    await d.close();
    await rx.stop();
  }
}

/** The ids of the alerts still owed to `sink`, oldest first. */
export function pendingIds(box: Outbox, sink: string): string[] {
  return box.pendingFor(sink).map((e) => e.alert.id);
}

/** Opens the outbox at `dir` again, as a restart would, reads it with `look`, and closes it. */
export async function reopenOutbox<T>(
  dir: string,
  opts: OutboxOptions,
  look: (box: Outbox) => T,
): Promise<T> {
  const box = await Outbox.open(dir, opts);
  try {
    return look(box);
  } finally {
    await box.close();
  }
}
