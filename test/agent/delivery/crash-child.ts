/**
 * A real agent-like sender for the crash tests: `node --import tsx crash-child.ts '<json>'`.
 * Opens delivery on a state dir, enqueues `count` alerts (ids crash-0…), prints "ENQUEUED <n>" once
 * all are durable, then keeps delivering until killed — or, with `drain: true`, prints "DRAINED" when
 * the outbox is empty and exits.
 */
import { Registry } from 'prom-client';
import { deliveryConfigSchema } from '../../../src/agent/delivery/config.ts';
import { createDelivery } from '../../../src/agent/delivery/index.ts';

interface Args {
  stateDir: string;
  sinks: unknown[];
  count: number;
  drain?: boolean;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const config = deliveryConfigSchema.parse({
  sinks: args.sinks,
  retry: { initial: '20ms', max: '100ms', factor: 2, jitter: 0.2 },
  rateLimit: { perKey: { count: 1000, window: '1m' } },
});
const d = await createDelivery(config, {
  stateDir: args.stateDir,
  registry: new Registry(),
  node: 'crash-node',
  log: (level, msg, fields) => {
    if (level === 'error') process.stderr.write(`${msg} ${JSON.stringify(fields ?? {})}\n`);
  },
});
await Promise.all(
  Array.from({ length: args.count }, (_, i) =>
    d.enqueue({
      id: `crash-${i}`,
      key: `mount:/mnt/${i}`,
      kind: 'transition',
      severity: 'critical',
      status: 'firing',
      node: 'crash-node',
      check: `mount:/mnt/${i}`,
      title: `mount /mnt/${i} hangs`,
      message: 'stat() did not return.',
      evidence: { i },
      createdAt: new Date().toISOString(),
    }),
  ),
);
process.stdout.write(`ENQUEUED ${args.count}\n`);
if (args.drain) {
  await d.drain(60_000);
  await d.close();
  process.stdout.write('DRAINED\n');
} else {
  // Keep the event loop alive until SIGKILL.
  setInterval(() => {}, 1 << 30);
}
