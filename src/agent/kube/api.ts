/**
 * A minimal Kubernetes API caller: @kubernetes/client-node supplies the config and credentials
 * (in-cluster service account or kubeconfig, TLS, tokens); the request itself is plain node:http(s) so
 * every call has a hard deadline and the exact body is ours (what node-problem-detector sends).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeResponse {
  status: number;
  body: string;
}

export interface KubeApi {
  request(method: string, path: string, body: unknown, contentType: string): Promise<KubeResponse>;
}

export interface KubeApiOptions {
  /** kubeconfig path; default: $KUBECONFIG / ~/.kube/config, else the in-cluster service account. */
  kubeconfig?: string | undefined;
  timeoutMs: number;
}

export function loadKubeConfig(kubeconfig?: string): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  return kc;
}

export function createKubeApi(
  opts: KubeApiOptions,
  kc: KubeConfig = loadKubeConfig(opts.kubeconfig),
): KubeApi {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubernetes: no current cluster in the kube config');
  const base = new URL(cluster.server);
  return {
    async request(method, path, body, contentType) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const options: RequestOptions = {
        method,
        protocol: base.protocol,
        hostname: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port || (base.protocol === 'https:' ? 443 : 80),
        path: `${base.pathname.replace(/\/$/, '')}${path}`,
        headers: {
          accept: 'application/json',
          'user-agent': 'faultline-agent',
          ...(payload !== undefined
            ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      };
      await kc.applyToHTTPSOptions(options);
      const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
      return new Promise<KubeResponse>((resolve, reject) => {
        const req = send(options, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        });
        // A hard deadline for the whole exchange: a dead API server must not hold a request open.
        const timer = setTimeout(
          () => req.destroy(new Error(`kubernetes API: no answer within ${opts.timeoutMs} ms`)),
          opts.timeoutMs,
        );
        req.on('close', () => clearTimeout(timer));
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}
