/**
 * `--cluster` extras for the blast: the kinds that carry traffic (Services, Ingresses, Gateway API
 * Gateways and routes). The audit lists storage, pods and workloads; this adds the rest through the
 * audit's listObjects: the same kubeconfig handling, deadline and error rules. Route CRDs are optional:
 * 404/403 are skipped quietly.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { K8sObject } from '../audit/model.ts';
import {
  DEFAULT_CLUSTER_TIMEOUT_MS,
  type ListSpec,
  listObjects,
  loadKubeConfig,
} from '../audit/sources/cluster.ts';
import type { InputProblem } from '../core/errors.ts';

const LISTS: readonly ListSpec[] = [
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
  const listed = await listObjects(kc, cluster.server, source, LISTS, timeout);
  // The same route served under two versions is one object.
  const seen = new Set<string>();
  const objects = listed.objects.filter((o) => {
    const key = JSON.stringify([o.kind, o.namespace, o.name]);
    return !seen.has(key) && Boolean(seen.add(key));
  });
  return { objects, errors: listed.errors };
}
