/**
 * A minimal Kubernetes API caller. Plain node:http(s), so every call has a hard deadline and the exact
 * body is ours (what node-problem-detector sends).
 * In a pod (the DaemonSet) it reads the service account itself — token, CA, KUBERNETES_SERVICE_HOST —
 * which costs nothing; importing @kubernetes/client-node costs ~70 MB of RSS (measured here), most of
 * the agent's memory budget. The client library is loaded only for a kubeconfig file (or when no
 * in-cluster config exists), where its auth plugins (exec, OIDC, cloud providers) earn their keep.
 * The API server is addressed by the service IP: no DNS on the way.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { cacheOnlyLookup, LastKnownGood, type Resolver, systemResolver } from '../../host/names.ts';

export interface KubeResponse {
  status: number;
  body: string;
}

export interface KubeApi {
  request(method: string, path: string, body: unknown, contentType: string): Promise<KubeResponse>;
}

export interface KubeApiOptions {
  /** kubeconfig path; default: in-cluster service account, else $KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string | undefined;
  timeoutMs: number;
  /** Environment for KUBERNETES_SERVICE_HOST/PORT (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where the service account is mounted (tests point it elsewhere). */
  serviceAccountDir?: string;
  /** Resolves a kubeconfig server's hostname (default: /etc/hosts, then c-ares; never getaddrinfo). */
  resolver?: Resolver;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Bound service-account tokens rotate (the kubelet rewrites the file): re-read at most this often. */
const TOKEN_REREAD_MS = 60_000;

export function createKubeApi(opts: KubeApiOptions): KubeApi {
  const inCluster = opts.kubeconfig ? undefined : inClusterApi(opts);
  if (inCluster) return inCluster;
  let inner: Promise<KubeApi> | undefined;
  return {
    async request(method, path, body, contentType) {
      inner ??= kubeconfigApi(opts);
      return (await inner).request(method, path, body, contentType);
    },
  };
}

/** The in-cluster config, or undefined when this is not a pod with a service account. */
export function inClusterApi(opts: KubeApiOptions): KubeApi | undefined {
  const env = opts.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  let ca: Buffer;
  try {
    ca = readFileSync(join(dir, 'ca.crt'));
    readFileSync(join(dir, 'token'));
  } catch {
    return undefined;
  }
  if (!host) return undefined;
  const port = Number(env.KUBERNETES_SERVICE_PORT || 443);
  let token = '';
  let tokenReadAt = 0;
  const currentToken = () => {
    if (Date.now() - tokenReadAt > TOKEN_REREAD_MS) {
      token = readFileSync(join(dir, 'token'), 'utf8').trim();
      tokenReadAt = Date.now();
    }
    return token;
  };
  return {
    request(method, path, body, contentType) {
      const options: RequestOptions = {
        protocol: 'https:',
        hostname: host.replace(/^\[|\]$/g, ''),
        port,
        ca,
        headers: { authorization: `Bearer ${currentToken()}` },
      };
      return send(options, method, path, body, contentType, opts.timeoutMs);
    },
  };
}

async function kubeconfigApi(opts: KubeApiOptions): Promise<KubeApi> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubernetes: no current cluster in the kube config');
  const base = new URL(cluster.server);
  const prefix = base.pathname.replace(/\/$/, '');
  const hostname = base.hostname.replace(/^\[|\]$/g, '');
  const addresses = apiServerAddresses(hostname, opts.resolver ?? systemResolver());
  return {
    async request(method, path, body, contentType) {
      const options: RequestOptions = {
        protocol: base.protocol,
        hostname,
        port: base.port || (base.protocol === 'https:' ? 443 : 80),
        headers: {},
      };
      if (isIP(hostname) === 0) {
        const known = await addresses();
        options.lookup = cacheOnlyLookup((h) => (h === hostname ? known : undefined));
      }
      // Credentials and TLS from the kubeconfig (tokens, client certs, exec plugins).
      await kc.applyToHTTPSOptions(options);
      return send(options, method, `${prefix}${path}`, body, contentType, opts.timeoutMs);
    },
  };
}

/** Re-resolve the API server's name at most this often; between, and when DNS fails, use the last answer. */
const API_RESOLVE_EVERY_MS = 60_000;

/**
 * The API server's addresses for a kubeconfig that names it. Not through Node's default lookup
 * (getaddrinfo on libuv's 4-thread pool): in a DNS outage every report round would park a pool thread
 * for timeout × attempts × nameservers, and the probes' procfs reads wait behind them. The last good
 * answer is kept, so reports still reach the API server while DNS is down.
 */
function apiServerAddresses(host: string, resolver: Resolver): () => Promise<string[]> {
  const names = new LastKnownGood({ resolver, refreshMs: API_RESOLVE_EVERY_MS });
  return async () => {
    try {
      return await names.addresses(host);
    } catch (e) {
      throw new Error(`kubernetes API: cannot resolve ${host}: ${(e as Error).message}`);
    }
  };
}

function send(
  base: RequestOptions,
  method: string,
  path: string,
  body: unknown,
  contentType: string,
  timeoutMs: number,
): Promise<KubeResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const options: RequestOptions = {
    ...base,
    method,
    path,
    headers: {
      accept: 'application/json',
      'user-agent': 'faultline-agent',
      ...(payload !== undefined
        ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }
        : {}),
      ...(base.headers as Record<string, string>),
    },
  };
  const transport = options.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<KubeResponse>((resolve, reject) => {
    const req = transport(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    // A hard deadline for the whole exchange: a dead API server must not hold a request open.
    const timer = setTimeout(
      () => req.destroy(new Error(`kubernetes API: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(payload);
  });
}
