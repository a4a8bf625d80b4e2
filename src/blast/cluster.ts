/**
 * `--cluster` extras for the blast: the kinds that carry traffic (Services, Ingresses, Gateway API
 * Gateways and routes). The audit lists storage, pods and workloads; this adds the rest with the same
 * kubeconfig handling and per-request deadline. Route CRDs are optional: 404/403 are skipped quietly.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { K8sObject } from '../audit/model.ts';
import {
  DEFAULT_CLUSTER_TIMEOUT_MS,
  getJson,
  listItemObject,
  loadKubeConfig,
} from '../audit/sources/cluster.ts';
import type { InputProblem } from '../core/errors.ts';

const LISTS: readonly { path: string; kind: string; apiVersion: string; optional: boolean }[] = [
  { path: '/api/v1/services', kind: 'Service', apiVersion: 'v1', optional: false },
  {
    path: '/apis/networking.k8s.io/v1/ingresses',
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    optional: true,
  },
  {
    path: '/apis/gateway.networking.k8s.io/v1/gateways',
    kind: 'Gateway',
    apiVersion: 'gateway.networking.k8s.io/v1',
    optional: true,
  },
  {
    path: '/apis/gateway.networking.k8s.io/v1/httproutes',
    kind: 'HTTPRoute',
    apiVersion: 'gateway.networking.k8s.io/v1',
    optional: true,
  },
  {
    path: '/apis/gateway.networking.k8s.io/v1/grpcroutes',
    kind: 'GRPCRoute',
    apiVersion: 'gateway.networking.k8s.io/v1',
    optional: true,
  },
  // TLSRoute is GA (v1) since Gateway API v1.5; older installs serve only v1alpha2. Both are read, once each.
  {
    path: '/apis/gateway.networking.k8s.io/v1/tlsroutes',
    kind: 'TLSRoute',
    apiVersion: 'gateway.networking.k8s.io/v1',
    optional: true,
  },
  {
    path: '/apis/gateway.networking.k8s.io/v1alpha2/tlsroutes',
    kind: 'TLSRoute',
    apiVersion: 'gateway.networking.k8s.io/v1alpha2',
    optional: true,
  },
];

export interface ClusterExtraOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  timeoutMs?: number;
}

export async function readClusterRoutes(
  opts: ClusterExtraOptions,
): Promise<{ objects: K8sObject[]; errors: InputProblem[] }> {
  const kc = loadKubeConfig(opts);
  // A kubeconfig that does not load, or has no cluster: the audit's reader already reported it.
  if (!(kc instanceof KubeConfig)) return { objects: [], errors: [] };
  const cluster = kc.getCurrentCluster();
  if (!cluster) return { objects: [], errors: [] };
  const source = `cluster:${kc.getCurrentContext() || 'default'}`;
  const timeout = opts.timeoutMs ?? DEFAULT_CLUSTER_TIMEOUT_MS;
  const answers = await Promise.allSettled(LISTS.map((l) => getJson(kc, cluster.server, l.path, timeout)));
  const objects: K8sObject[] = [];
  const errors: InputProblem[] = [];
  answers.forEach((a, i) => {
    const spec = LISTS[i]!;
    if (a.status === 'rejected') {
      const e = a.reason as Error & { status?: number };
      if (!(spec.optional && (e.status === 404 || e.status === 403)))
        errors.push({
          file: `${source}/${spec.kind}`,
          message: `GET ${cluster.server}${spec.path}: ${e.message}`,
        });
      return;
    }
    const items = (a.value as { items?: unknown }).items;
    if (!Array.isArray(items)) return;
    for (const item of items) {
      const o = listItemObject(spec, item, source);
      if (!o) continue;
      // The same route served under two versions is one object.
      if (objects.some((x) => x.kind === o.kind && x.namespace === o.namespace && x.name === o.name))
        continue;
      objects.push(o);
    }
  });
  return { objects, errors };
}
