/**
 * `manifests`: what a cluster drill needs, from the same plan.
 * - A Job pinned to one staging node (nodeName) in the host network namespace — where the kernel NFS
 *   client and the node's resolver live — that runs `faultline drill run`, with NET_ADMIN as its only
 *   capability (what nftables needs). The host's root is mounted read-only (HostToContainer propagation,
 *   so the NFS mounts are visible to the sacrificial stat children) and read as --node-root.
 * - Chaos Mesh, where it fits: PhysicalMachineChaos (chaosd on the node: node-level network faults),
 *   NetworkChaos (pod network namespaces: only pods that reach the server themselves, e.g. userspace NFS
 *   clients — it does NOT touch the kernel client's mounts), DNSChaos (cluster DNS answers for the pods
 *   selected). Pod selectors come from the inventory: the workloads that use the server's volumes.
 * Field names follow the vendored Chaos Mesh CRDs (chaos-mesh.org/v1alpha1); tests validate against them.
 */
import { stringify } from 'yaml';
import { nfsVolumesOf } from '../audit/analysis/workload-storage.ts';
import { POD_SPEC_PATHS } from '../audit/inventory.ts';
import { getRecord, type K8sObject } from '../audit/model.ts';
import { FaultlineError } from '../core/errors.ts';
import type { DrillPlan } from './model.ts';
import type { DrillContext } from './sources/context.ts';
import { formatEndpoint, sameHost } from './target.ts';

export interface ManifestOptions {
  node: string | undefined;
  namespace: string;
  image: string;
  argv: readonly string[];
}

const GRACE_S = 10;

function dnsName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 52);
}

/** The `faultline drill run` command the Job runs: the same scenario, target and duration as this plan. */
export function jobArgs(plan: DrillPlan, targetFlag: string): string[] {
  return [
    'drill',
    'run',
    plan.scenario,
    targetFlag,
    plan.target.port === undefined ? plan.target.ip : formatEndpoint(plan.target),
    '--duration',
    `${plan.durationSeconds}s`,
    '--grace',
    `${GRACE_S}s`,
    '--node-root',
    '/host',
    '--format',
    'markdown',
    '--yes',
  ];
}

export function drillJob(
  plan: DrillPlan,
  targetFlag: string,
  o: ManifestOptions & { node: string },
): Record<string, unknown> {
  const name = dnsName(`faultline-drill-${plan.scenario}-${o.node}`);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: o.namespace,
      labels: { 'app.kubernetes.io/name': 'faultline-drill', 'app.kubernetes.io/component': plan.scenario },
    },
    spec: {
      backoffLimit: 0,
      // The fault expires in the kernel after durationSeconds whatever happens to this Job; this only
      // bounds how long the Job object waits.
      activeDeadlineSeconds: plan.durationSeconds + GRACE_S + 120,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'faultline-drill' } },
        spec: {
          nodeName: o.node,
          hostNetwork: true,
          // Same PID namespace as the node: D-state counts cover the node's tasks, not the Job's.
          hostPID: true,
          dnsPolicy: 'ClusterFirstWithHostNet',
          restartPolicy: 'Never',
          tolerations: [{ operator: 'Exists' }],
          containers: [
            {
              name: 'drill',
              image: o.image,
              args: jobArgs(plan, targetFlag),
              securityContext: {
                runAsUser: 0,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
              },
              resources: {
                requests: { cpu: '50m', memory: '64Mi' },
                limits: { memory: '256Mi' },
              },
              volumeMounts: [
                { name: 'host', mountPath: '/host', readOnly: true, mountPropagation: 'HostToContainer' },
              ],
            },
          ],
          volumes: [{ name: 'host', hostPath: { path: '/', type: 'Directory' } }],
        },
      },
    },
  };
}

/** Pods that use the server's volumes, as Chaos Mesh selectors: namespace + the pod template's labels. */
export function podSelectors(
  ctx: DrillContext,
  plan: DrillPlan,
): { namespace: string; labels: Record<string, string>; workload: string }[] {
  const out: { namespace: string; labels: Record<string, string>; workload: string }[] = [];
  for (const w of ctx.inventory.workloads()) {
    if (!nfsVolumesOf(w, ctx.inventory).some((v) => sameHost(v.site?.server, plan.target))) continue;
    const labels = templateLabels(w);
    if (Object.keys(labels).length === 0) continue;
    out.push({
      namespace: w.namespace ?? 'default',
      labels,
      workload: `${w.kind} ${w.namespace ?? 'default'}/${w.name}`,
    });
  }
  return out;
}

function templateLabels(w: K8sObject): Record<string, string> {
  const spec = POD_SPEC_PATHS[w.kind];
  if (!spec) return {};
  const meta = w.kind === 'Pod' ? ['metadata'] : [...spec.slice(0, -1), 'metadata'];
  const labels = getRecord(w.body, [...meta, 'labels']) ?? {};
  return Object.fromEntries(
    Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function chaosMeta(
  kind: string,
  plan: DrillPlan,
  o: ManifestOptions,
  suffix: string,
): Record<string, unknown> {
  return {
    name: dnsName(`faultline-${plan.scenario}-${suffix}`),
    namespace: o.namespace,
    labels: { 'app.kubernetes.io/managed-by': 'faultline', 'faultline.dev/drill': plan.scenario },
    annotations: { 'faultline.dev/kind': kind },
  };
}

export function chaosObjects(
  plan: DrillPlan,
  ctx: DrillContext,
  o: ManifestOptions & { node: string },
  lookupName: string,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const duration = `${plan.durationSeconds}s`;
  const ip = plan.target.ip;
  const nfs = plan.scenario.startsWith('nfs-');
  // Node level, through chaosd on the staging node (a PhysicalMachine object named after the node). Not for
  // the stall: chaosd's accept-tcp-flags takes one iptables flag pattern, which cannot let both SYN-ACK and
  // bare ACKs through while dropping data — the Job's nftables rule does that.
  if (plan.scenario !== 'nfs-stall')
    out.push({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PhysicalMachineChaos',
      metadata: chaosMeta('PhysicalMachineChaos', plan, o, `node-${o.node}`),
      spec: {
        action: 'network-partition',
        mode: 'one',
        selector: { physicalMachines: { [o.namespace]: [o.node] } },
        duration,
        'network-partition': {
          'ip-address': ip,
          'ip-protocol': nfs ? 'tcp' : 'udp',
          // "from": packets coming from the target are dropped — its answers, as `faultline drill run` does.
          direction: 'from',
        },
      },
    });
  if (nfs) {
    // Pod network namespaces: only pods whose own traffic reaches the server (userspace NFS clients).
    for (const sel of podSelectors(ctx, plan)) {
      out.push({
        apiVersion: 'chaos-mesh.org/v1alpha1',
        kind: 'NetworkChaos',
        metadata: chaosMeta('NetworkChaos', plan, o, `pods-${sel.workload.split(' ')[1]!}`),
        spec: {
          action: 'partition',
          mode: 'all',
          selector: { namespaces: [sel.namespace], labelSelectors: sel.labels },
          direction: 'to',
          externalTargets: [ip],
          duration,
        },
      });
    }
  } else {
    const namespaces = [...new Set(podSelectors(ctx, plan).map((s) => s.namespace))];
    out.push({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'DNSChaos',
      metadata: chaosMeta('DNSChaos', plan, o, 'cluster-dns'),
      spec: {
        action: 'error',
        mode: 'all',
        patterns: [lookupName],
        selector: { namespaces: namespaces.length ? namespaces : [o.namespace] },
        duration,
      },
    });
  }
  return out;
}

export function renderManifests(
  plan: DrillPlan,
  ctx: DrillContext,
  o: ManifestOptions,
  lookupName = 'kubernetes.io',
): string {
  if (!o.node)
    throw new FaultlineError('usage', 'manifests needs --node NAME: the staging node the drill is pinned to');
  const opts = { ...o, node: o.node };
  const targetFlag = plan.scenario.startsWith('dns-') ? '--resolver' : '--server';
  const header = [
    `# faultline drill manifests: ${plan.scenario} → ${formatEndpoint(plan.target)} for ${plan.durationSeconds} s on node ${o.node}`,
    '# The Job runs the drill in the node network namespace, where the kernel NFS client and the node resolver',
    '# live; pod-level faults (NetworkChaos) do not touch kernel NFS mounts. Apply ONE of: the Job, or the',
    '# Chaos Mesh objects. The Job refuses when the plan predicts a node freeze; adding --allow-freeze to its',
    '# args is a deliberate decision. PhysicalMachineChaos needs chaosd on the node and a PhysicalMachine object',
    '# named after it; some chaosd versions also want `device:` (the node interface) in network-partition.',
  ];
  const docs = [drillJob(plan, targetFlag, opts), ...chaosObjects(plan, ctx, opts, lookupName)];
  return `${header.join('\n')}\n${docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n')}`;
}
