/**
 * `--cluster`: list the objects the rules need from a live API server. @kubernetes/client-node loads
 * the kubeconfig (file, KUBECONFIG, in-cluster, context) and applies its TLS and credentials; the
 * requests themselves are plain HTTP(S) GETs with a deadline, so a server that accepts the connection
 * and never answers becomes an error entry instead of a hung audit. Items come back as the API
 * returns them (no kind/apiVersion per item), exactly the `kubectl get -o json` List shape.
 */
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { InputProblem } from '../../core/errors.ts';
import type { K8sObject } from '../model.ts';
import { expandWrappers } from './gitops/index.ts';

export interface ClusterOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /** Per request, milliseconds. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface ClusterResult {
  objects: K8sObject[];
  errors: InputProblem[];
  /** The pseudo file prefix used in locations, e.g. "cluster:prod". */
  source: string;
}

export interface ListSpec {
  path: string;
  kind: string;
  apiVersion: string;
  /** Optional lists (CRDs, workloads) fail quietly on 404/403. */
  optional?: boolean;
}

const LISTS: readonly ListSpec[] = [
  { path: '/apis/storage.k8s.io/v1/storageclasses', kind: 'StorageClass', apiVersion: 'storage.k8s.io/v1' },
  { path: '/api/v1/persistentvolumes', kind: 'PersistentVolume', apiVersion: 'v1' },
  { path: '/api/v1/persistentvolumeclaims', kind: 'PersistentVolumeClaim', apiVersion: 'v1' },
  { path: '/api/v1/pods', kind: 'Pod', apiVersion: 'v1' },
  { path: '/api/v1/namespaces/kube-system/configmaps', kind: 'ConfigMap', apiVersion: 'v1' },
  { path: '/apis/apps/v1/statefulsets', kind: 'StatefulSet', apiVersion: 'apps/v1', optional: true },
  { path: '/apis/apps/v1/deployments', kind: 'Deployment', apiVersion: 'apps/v1', optional: true },
  { path: '/apis/apps/v1/daemonsets', kind: 'DaemonSet', apiVersion: 'apps/v1', optional: true },
  {
    path: '/apis/argoproj.io/v1alpha1/applications',
    kind: 'Application',
    apiVersion: 'argoproj.io/v1alpha1',
    optional: true,
  },
  {
    path: '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
    kind: 'HelmRelease',
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    optional: true,
  },
];

/** ConfigMaps in kube-system that rules read; the rest (leader election, certs) are dropped. */
const KUBE_SYSTEM_CONFIGMAPS = new Set([
  'cilium-config',
  'coredns',
  'kubeadm-config',
  'kubelet-config',
  'cluster-info',
]);

export const DEFAULT_CLUSTER_TIMEOUT_MS = 10_000;

export async function readCluster(opts: ClusterOptions = {}): Promise<ClusterResult> {
  const kc = loadKubeConfig(opts);
  if (!(kc instanceof KubeConfig)) return { objects: [], errors: [kc], source: 'cluster' };
  const context = kc.getCurrentContext() || 'default';
  const source = `cluster:${context}`;
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    return { objects: [], errors: [{ file: source, message: 'kubeconfig has no current cluster' }], source };

  const timeoutMs = opts.timeoutMs ?? DEFAULT_CLUSTER_TIMEOUT_MS;
  const listed = await listObjects(kc, cluster.server, source, LISTS, timeoutMs);
  const { errors } = listed;
  const objects = listed.objects.filter((o) => o.kind !== 'ConfigMap' || KUBE_SYSTEM_CONFIGMAPS.has(o.name));
  objects.push(...expandWrappers(objects, undefined, errors));
  return { objects, errors, source };
}

/**
 * The kubeconfig (file, KUBECONFIG, in-cluster) with the context chosen, or the problem loading it.
 * Shared with `faultline blast`, which lists more kinds from the same API server.
 */
export function loadKubeConfig(opts: ClusterOptions): KubeConfig | InputProblem {
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
    if (opts.context) {
      if (!kc.getContextObject(opts.context))
        throw new Error(`context '${opts.context}' not found in kubeconfig`);
      kc.setCurrentContext(opts.context);
    }
    return kc;
  } catch (err) {
    const file = opts.kubeconfig ?? opts.env?.KUBECONFIG ?? '~/.kube/config';
    return { file, message: `kubeconfig: ${(err as Error).message}` };
  }
}

/**
 * The objects of `lists` (in list order), and one error per failed list: 404/403 on an optional list is
 * quiet, and a server that refuses or never answers is reported once. Shared with `faultline blast`,
 * which lists the traffic kinds from the same server.
 */
export async function listObjects(
  kc: KubeConfig,
  server: string,
  source: string,
  lists: readonly ListSpec[],
  timeoutMs: number,
): Promise<{ objects: K8sObject[]; errors: InputProblem[] }> {
  // All lists at once, under ONE deadline: one after another took up to ~100 s on a slow server.
  const answers = await Promise.allSettled(lists.map((spec) => getJson(kc, server, spec.path, timeoutMs)));
  const objects: K8sObject[] = [];
  const errors: InputProblem[] = [];
  let unreachable = false;
  for (const [i, spec] of lists.entries()) {
    const answer = answers[i]!;
    if (answer.status === 'rejected') {
      const e = answer.reason as Error & { status?: number };
      if (spec.optional && (e.status === 404 || e.status === 403)) continue;
      // A server that refuses or never answers does the same for every list: report it once.
      if (e.status === undefined) {
        if (unreachable) continue;
        unreachable = true;
      }
      errors.push({
        file: `${source}/${spec.kind}`,
        message: `GET ${server}${spec.path}: ${e.message}`,
      });
      continue;
    }
    const items = (answer.value as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) {
      errors.push({
        file: `${source}/${spec.kind}`,
        message: `GET ${spec.path}: answer is not a List (no items[])`,
      });
      continue;
    }
    for (const item of items) {
      const o = listItemObject(spec, item, source);
      if (o) objects.push(o);
    }
  }
  return { objects, errors };
}

/**
 * One item of a List answer as an object: the API leaves kind and apiVersion out of each item, so they
 * come back from the list asked for; located at `<source>/<kind>/<namespace>/<name>`.
 */
function listItemObject(
  spec: { kind: string; apiVersion: string },
  item: unknown,
  source: string,
): K8sObject | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const body: Record<string, unknown> = {
    apiVersion: spec.apiVersion,
    kind: spec.kind,
    ...(item as object),
  };
  const meta = (body.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const name = typeof meta.name === 'string' ? meta.name : '(unnamed)';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const location = { file: `${source}/${spec.kind}/${namespace ? `${namespace}/` : ''}${name}` };
  return {
    apiVersion: spec.apiVersion,
    kind: spec.kind,
    name,
    namespace,
    body,
    location,
    locate: () => location,
  };
}

async function getJson(kc: KubeConfig, server: string, path: string, timeoutMs: number): Promise<unknown> {
  const url = new URL(path.replace(/^\//, ''), server.endsWith('/') ? server : `${server}/`);
  const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { ...opts, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(deadline);
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) >= 400) {
          const status = res.statusCode;
          let reason = text.slice(0, 200);
          try {
            reason = (JSON.parse(text) as { message?: string }).message ?? reason;
          } catch {
            // not a Status object; keep the raw text
          }
          reject(Object.assign(new Error(`HTTP ${status}: ${reason}`), { status }));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(Object.assign(new Error('answer is not JSON'), { status: res.statusCode }));
        }
      });
      res.on('error', reject);
    });
    // `timeout` above is an idle timeout; this bounds the whole request (slow-drip servers).
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.end();
  });
}
