/** A local webhook receiver that timestamps every alert on arrival (127.0.0.1, port 0). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Waiters } from '../../src/agent/delivery/waiters.ts';

export interface Received {
  /** performance.now() at arrival (same clock as the bench's own timestamps). */
  at: number;
  body: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** Resolves with the first alert at or after `since` matching `pred`; rejects after `timeoutMs`. */
  waitFor(
    pred: (body: Record<string, unknown>) => boolean,
    since: number,
    timeoutMs: number,
  ): Promise<Received>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/alerts'): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const waiters = new Waiters();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      const at = performance.now();
      if (req.method === 'POST' && req.url === path) {
        try {
          received.push({ at, body: JSON.parse(raw) });
        } catch {
          received.push({ at, body: { unparsable: raw } });
        }
        waiters.notify();
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    waitFor(pred, since, timeoutMs) {
      return waiters.until(
        () => received.find((r) => r.at >= since && pred(r.body)),
        timeoutMs,
        () => new Error(`no matching alert within ${timeoutMs} ms`),
      );
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
