/**
 * The `alerts:` block of the agent config. Strict (a misspelt key is an error, not a silently ignored
 * sink) and fully defaulted, so `alerts: {sinks: [...]}` is a complete config.
 * Durations are strings with a unit ("500ms", "5s", "2m", "1h"); the parsed values are milliseconds.
 */
import { z } from 'zod';
import { duration } from '../duration.ts';
import { SINKS } from './sinks/index.ts';

const retrySchema = z.strictObject({
  /** Wait after the first failed attempt. */
  initial: duration().default(1000),
  /** Cap on the wait between attempts (also caps a receiver's Retry-After). */
  max: duration().default(300_000),
  factor: z.number().min(1).max(10).default(2),
  /** Random spread, as a fraction of the wait: 0.2 → wait × [0.8, 1.2]. Keeps agents on many nodes apart. */
  jitter: z.number().min(0).max(1).default(0.2),
});

const rateLimitSchema = z.strictObject({
  /** Token bucket per alert key: at most `count` alerts in any `window`; resolved alerts always pass. */
  perKey: z
    .strictObject({
      count: z.number().int().min(1).default(5),
      window: duration().default(600_000),
    })
    .prefault({}),
});

const outboxSchema = z.strictObject({
  /** Pending alerts kept at most; beyond it the oldest pending alert is dropped (and counted). */
  maxEntries: z.number().int().min(1).default(10_000),
  /** A pending alert older than this is dropped instead of sent: news from yesterday misleads. */
  maxAgeSeconds: z.number().int().min(1).default(86_400),
});

// Built from the sink registry so adding a sink type is one module plus one line in sinks/index.ts.
const sinkSchema = z.discriminatedUnion(
  'type',
  SINKS.map((s) => s.schema) as unknown as [
    (typeof SINKS)[number]['schema'],
    ...(typeof SINKS)[number]['schema'][],
  ],
);

export const deliveryConfigSchema = z
  .strictObject({
    sinks: z.array(sinkSchema).default([]),
    retry: retrySchema.prefault({}),
    rateLimit: rateLimitSchema.prefault({}),
    /** The same key, status and severity again within this window is not re-sent. */
    dedupeWindow: duration().default(300_000),
    /** How often sink hostnames are re-resolved while DNS answers (never at send time). */
    addressRefresh: duration().default(60_000),
    outbox: outboxSchema.prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.sinks.forEach((s, i) => {
      if (seen.has(s.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sinks', i, 'name'],
          message: `duplicate sink name '${s.name}' (names key the outbox and metrics)`,
        });
      }
      seen.add(s.name);
    });
    if (cfg.retry.max < cfg.retry.initial) {
      ctx.addIssue({ code: 'custom', path: ['retry', 'max'], message: 'retry.max must be ≥ retry.initial' });
    }
  });

export type DeliveryConfig = z.output<typeof deliveryConfigSchema>;
export type DeliveryConfigInput = z.input<typeof deliveryConfigSchema>;
export type SinkConfig = DeliveryConfig['sinks'][number];
