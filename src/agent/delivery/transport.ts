/**
 * One HTTP attempt to a sink. A fresh connection per attempt (alerts are rare; a pooled socket to a
 * receiver that moved or died during the cascade would only add a failure mode), addresses from the
 * AddressBook's cache-only lookup, redirects not followed (a redirect could name a host we never
 * resolved), and a deadline covering connect, send and the answer.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { SinkRequest } from './sinks/sink.ts';

export type Outcome =
  | { kind: 'ok'; status: number }
  /** Worth trying again later: network error, timeout, 408/425/429, 5xx. */
  | { kind: 'retry'; status?: number; error: string; retryAfterMs?: number }
  /** The receiver refuses this request as such (other 4xx, 3xx): retrying would repeat the refusal. */
  | { kind: 'reject'; status: number; error: string };

export interface SendOptions {
  lookup: LookupFunction;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Trusted CAs for https (replaces the system ones), loaded at start. */
  ca?: string;
}

const RESPONSE_SNIPPET = 300;

export function send(req: SinkRequest, opts: SendOptions): Promise<Outcome> {
  const signals = [AbortSignal.timeout(opts.timeoutMs)];
  if (opts.signal) signals.push(opts.signal);
  const signal = AbortSignal.any(signals);
  const mod = req.url.protocol === 'https:' ? https : http;
  const body = Buffer.from(req.body, 'utf8');
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const done = (o: Outcome) => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const r = mod.request(
      req.url,
      {
        method: 'POST',
        headers: { ...req.headers, 'Content-Length': String(body.length) },
        lookup: opts.lookup,
        agent: false,
        signal,
        ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < RESPONSE_SNIPPET) chunks.push(c);
          size += c.length;
        });
        res.on('error', (err) => done({ kind: 'retry', error: `reading the answer: ${err.message}` }));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_SNIPPET).trim();
          done(classify(status, text, res.headers['retry-after']));
        });
      },
    );
    r.on('error', (err: NodeJS.ErrnoException) => {
      const why = signal.aborted
        ? opts.signal?.aborted
          ? 'aborted: delivery is closing'
          : `no answer within ${opts.timeoutMs} ms`
        : `${err.code ?? 'error'}: ${err.message}`;
      done({ kind: 'retry', error: why });
    });
    r.end(body);
  });
}

export function classify(status: number, text: string, retryAfter: string | undefined): Outcome {
  if (status >= 200 && status < 300) return { kind: 'ok', status };
  const error = `HTTP ${status}${text ? `: ${text}` : ''}`;
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    const ms = parseRetryAfter(retryAfter);
    return ms === undefined
      ? { kind: 'retry', status, error }
      : { kind: 'retry', status, error, retryAfterMs: ms };
  }
  return { kind: 'reject', status, error };
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(v: string | undefined, now = Date.now()): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
