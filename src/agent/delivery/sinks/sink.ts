/**
 * The sink contract: a sink only renders an Alert into one HTTP request. Sending, retries, the outbox
 * and address pinning are shared (transport.ts, worker.ts), so every sink gets them the same way.
 * To add a sink: one module here, one test in test/agent/delivery/sinks/, one line in sinks/index.ts.
 */
import { z } from 'zod';
import { duration } from '../../duration.ts';
import type { Alert } from '../alert.ts';

/** Receivers dedupe on this header (and on the id in the body where the format has room for it). */
export const ALERT_ID_HEADER = 'X-Faultline-Alert-Id';

export interface SinkRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** Fields every sink has. `name` keys the outbox and the `sink` metric label, so it is restricted. */
export const baseSinkShape = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'sink name: letters, digits, "_", ".", "-" (at most 63)'),
  url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// URL' }),
  /** Extra request headers, e.g. Authorization. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Deadline for one attempt: connect, send, and the receiver's answer. */
  timeout: duration().default(10_000),
  /** PEM file with the CA(s) for an https receiver with a private CA; read once at start. */
  caFile: z.string().min(1).optional(),
};

export interface SinkDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  /** Strict object schema with a literal `type` and the base fields. */
  schema: S;
  render(alert: Alert, config: z.output<S>): SinkRequest;
}

export function defineSink<S extends z.ZodType>(def: SinkDefinition<S>): SinkDefinition<S> {
  return def;
}

/** Headers every sink sends; the user's headers come last so they can override. */
export function baseHeaders(
  alert: Alert,
  contentType: string,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    'Content-Type': contentType,
    'User-Agent': 'faultline-agent',
    [ALERT_ID_HEADER]: alert.id,
    ...extra,
  };
}

/** A JSON POST: the body serialised, the base headers, the user's headers. */
export function jsonRequest(
  alert: Alert,
  url: URL,
  headers: Record<string, string>,
  body: unknown,
): SinkRequest {
  return { url, headers: baseHeaders(alert, 'application/json', headers), body: JSON.stringify(body) };
}
