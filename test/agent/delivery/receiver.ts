/**
 * A local alert receiver for tests: records every request (method, path, headers, body) and answers
 * with a status chosen per request. Binds 127.0.0.1 on a free port (or a given one, to restart it).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../../helpers/cleanup.ts';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status actually answered; undefined while held, or if the sender was gone before the answer. */
  status?: number;
}

export interface Receiver {
  port: number;
  url: string;
  received: Received[];
  /** Status to answer for the next requests (default 200). */
  respond: (req: Received) => number | Promise<number>;
  /** Resolves when `n` requests have arrived in total. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  stop(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: Array<() => boolean> = [];
  const rec: Receiver = {
    port: 0,
    url: '',
    received,
    respond: () => 200,
    waitFor(n, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`receiver: ${received.length} of ${n} requests after ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = () => {
          if (received.length >= n) {
            clearTimeout(t);
            resolve(received);
            return true;
          }
          return false;
        };
        if (!check()) waiters.push(check);
      });
    },
    stop: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const r: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!()) waiters.splice(i, 1);
      const status = await rec.respond(r);
      if (res.destroyed || req.socket.destroyed) return;
      r.status = status;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  rec.port = (server.address() as AddressInfo).port;
  rec.url = `http://127.0.0.1:${rec.port}`;
  rec.stop = () => closeServer(server);
  return rec;
}
