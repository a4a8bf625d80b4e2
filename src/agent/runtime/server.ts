/**
 * /metrics, /healthz, /readyz on node:http. Handlers touch only memory — no fs, no dns — so they are
 * answered while probes hang and even if libuv's thread pool is exhausted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Registry } from 'prom-client';
import { FaultlineError } from '../../core/errors.ts';
import type { SourceLocation } from '../../core/location.ts';
import { readFdLimit } from './self-health.ts';
import { BasicAuth, type WebConfig } from './web-config.ts';

export interface HealthSource {
  /** Event-loop lag measured by the monitor, in ms (worst of the recent window). */
  loopLagMs(): number;
  /** ms since the scheduler last ticked. */
  schedulerIdleMs(): number;
  /** Max idle the scheduler may show before the agent counts as wedged. */
  schedulerIdleLimitMs: number;
  ready(): { ready: boolean; reason: string };
}

export interface ServerOptions {
  host: string;
  port: number;
  registry: Registry;
  health: HealthSource;
  /** Lag beyond which /healthz fails (the loop is blocked, not just busy). */
  maxLoopLagMs?: number;
  /** Where `listen` is configured: a port in use is a config error pointing there. */
  where?: SourceLocation;
  /** Open connections at most; default from the fd limit (see defaultMaxConnections). */
  maxConnections?: number;
  /** A connection that sends nothing for this long is closed (ms). */
  idleTimeoutMs?: number;
  /** --web.config.file: TLS, client certificates, basic auth, headers. */
  web?: WebConfig;
}

/** Kubelet probes carry no credentials; these two answer only "ok" or why not. */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

/**
 * A scraper needs one or two connections; a flood of idle ones (22,000 in the fault injection) used
 * to take every file descriptor, after which probes failed with EMFILE. Connections beyond the limit
 * are closed as soon as they are accepted, and a quarter of the fd limit (at most 256) is left to them.
 */
export function defaultMaxConnections(fdLimit = readFdLimit('/proc/self')): number {
  if (fdLimit === undefined) return 256;
  return Math.max(8, Math.min(256, Math.floor(fdLimit / 4)));
}

export interface AgentServer {
  server: Server;
  address: AddressInfo;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<AgentServer> {
  const handler = requestHandler(opts);
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((err) => send(res, 500, `${String(err)}\n`));
  };
  const server = createHttpServer(opts.web, onRequest);
  limitSockets(server, opts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err as NodeJS.ErrnoException, opts)));
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Access checks (client certificate, basic auth, method), then the route. */
function requestHandler(opts: ServerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const web = opts.web;
  const auth = web?.users ? new BasicAuth(web.users) : undefined;
  const mode = web?.tls?.clientAuthType;
  const clientAuth = mode === 'RequireAnyClientCert' || mode === 'VerifyClientCertIfGiven' ? mode : undefined;
  return async (req, res) => {
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    for (const [k, v] of Object.entries(web?.headers ?? {})) res.setHeader(k, v);
    if (clientAuth && !clientCertOk(req.socket as TLSSocket, clientAuth === 'VerifyClientCertIfGiven')) {
      return send(res, 403, 'client certificate required\n');
    }
    if (auth && !OPEN_PATHS.has(url) && !(await auth.check(req.headers.authorization))) {
      res.setHeader('www-authenticate', 'Basic');
      return send(res, 401, 'Unauthorized\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    return route(url, res, opts);
  };
}

async function route(url: string, res: ServerResponse, opts: ServerOptions): Promise<void> {
  switch (url) {
    case '/metrics': {
      const body = await opts.registry.metrics();
      return send(res, 200, body, opts.registry.contentType);
    }
    case '/healthz': {
      const lag = opts.health.loopLagMs();
      const idle = opts.health.schedulerIdleMs();
      if (lag > (opts.maxLoopLagMs ?? 2000)) return send(res, 503, `event loop lag ${Math.round(lag)} ms\n`);
      if (idle > opts.health.schedulerIdleLimitMs)
        return send(res, 503, `scheduler idle ${Math.round(idle)} ms\n`);
      return send(res, 200, 'ok\n');
    }
    case '/readyz': {
      const r = opts.health.ready();
      return send(res, r.ready ? 200 : 503, `${r.reason}\n`);
    }
    case '/':
      return send(res, 200, 'faultline agent: /metrics /healthz /readyz\n');
    default:
      return send(res, 404, 'not found\n');
  }
}

/** HTTPS with the web config's TLS settings, or plain HTTP without them. */
function createHttpServer(
  web: ServerOptions['web'],
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  if (!web?.tls) return createServer(onRequest);
  return createTlsServer(
    {
      cert: web.tls.cert,
      key: web.tls.key,
      ...(web.tls.ca !== undefined ? { ca: web.tls.ca } : {}),
      requestCert: web.tls.requestCert,
      rejectUnauthorized: web.tls.rejectUnauthorized,
      minVersion: web.tls.minVersion,
      maxVersion: web.tls.maxVersion,
    },
    onRequest,
  );
}

/** Slow or idle clients must not hold sockets open for ever. */
function limitSockets(server: Server, opts: ServerOptions): void {
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  // A socket that sends nothing at all is covered by none of the above.
  server.timeout = opts.idleTimeoutMs ?? 10_000;
  server.maxConnections = opts.maxConnections ?? defaultMaxConnections();
}

/** RequireAnyClientCert: some certificate; VerifyClientCertIfGiven: none, or a valid one. */
function clientCertOk(socket: TLSSocket, verifyIfGiven: boolean): boolean {
  const cert = socket.getPeerCertificate?.();
  const given = cert !== undefined && Object.keys(cert).length > 0;
  return verifyIfGiven ? !given || socket.authorized : given;
}

/** A listen that fails is a configuration problem (exit 2 with one line), not an internal error. */
function listenError(err: NodeJS.ErrnoException, opts: ServerOptions): Error {
  const addr = `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
  const why: Record<string, string> = {
    EADDRINUSE:
      'address already in use (another agent, node_exporter or an OpenTelemetry exporter on the host network?); change `listen`',
    EACCES: 'permission denied (ports below 1024 need CAP_NET_BIND_SERVICE); change `listen`',
    EADDRNOTAVAIL: 'this host has no such address; change `listen`',
  };
  const reason = err.code ? why[err.code] : undefined;
  if (reason === undefined) return err;
  return new FaultlineError('config', `listen ${addr}: ${reason}`, opts.where);
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** Measures event-loop lag: a timer that should fire every `everyMs`; how late it fires is the lag. */
export class LoopLagMonitor {
  private timer: NodeJS.Timeout | undefined;
  private expected = 0;
  private samples: number[] = [];

  constructor(private readonly everyMs = 250) {}

  start(): void {
    this.expected = performance.now() + this.everyMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.samples.push(Math.max(0, now - this.expected));
      if (this.samples.length > 8) this.samples.shift();
      this.expected = now + this.everyMs;
    }, this.everyMs);
    this.timer.unref();
  }

  /** Worst lag over the last ~2 s; also counts the current wait if the timer is overdue. */
  lagMs(): number {
    const overdue = Math.max(0, performance.now() - this.expected);
    return Math.max(overdue, ...this.samples, 0);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
