/**
 * `cni`: the node's pod network agent stops working. Running pods keep the datapath they have (likely,
 * for eBPF and iptables datapaths alike); every new sandbox on the node fails — the 2025-11-14 cascade's
 * `CreatePodSandboxError … plugin type="cilium-cni" failed (add)` — so anything that restarts,
 * reschedules or scales is lost, CoreDNS included.
 */
import type { Inventory } from '../../audit/inventory.ts';
import { getString, type K8sObject } from '../../audit/model.ts';
import type { BlastResult, Target } from '../model.ts';
import { BlastBuilder, type BlastContext } from './builder.ts';

const CNI_NAMES =
  /(^|[-/])(cilium|calico|calico-node|flannel|kube-flannel|canal|weave-net|kube-router|antrea)(-agent)?$/;

/** Objects that show which CNI the cluster runs. */
export function cniEvidence(inv: Inventory): K8sObject[] {
  const out: K8sObject[] = [];
  for (const o of inv.objects) {
    if (
      o.kind === 'ConfigMap' &&
      (o.name === 'cilium-config' || o.name === 'calico-config' || o.name === 'kube-flannel-cfg')
    )
      out.push(o);
    else if (o.kind === 'DaemonSet' && CNI_NAMES.test(o.name)) out.push(o);
    else if (o.kind === 'HelmRelease' || o.kind === 'Application' || o.kind === 'HelmChart') {
      const chart =
        getString(o.body, ['spec', 'chart', 'spec', 'chart']) ??
        getString(o.body, ['spec', 'source', 'chart']) ??
        getString(o.body, ['spec', 'chart']) ??
        '';
      if (CNI_NAMES.test(chart) || CNI_NAMES.test(o.name)) out.push(o);
    }
  }
  return out;
}

export function analyzeCni(inv: Inventory, ctx: BlastContext): BlastResult {
  const target: Target = { kind: 'cni', id: 'cni', value: '' };
  const b = new BlastBuilder(target, ctx);
  const evidence = cniEvidence(inv);
  const feature = evidence.length
    ? evidence.map((o) =>
        b.expose(
          {
            label: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
            detail: 'the CNI',
            location: o.location,
          },
          'feature',
        ),
      )[0]!
    : b.expose(
        {
          label: 'the CNI (not identified in the scan)',
          detail: 'pod networking',
          location: { file: '(none)' },
        },
        'feature',
      );
  if (evidence.length === 0)
    b.notes.push(
      'No CNI DaemonSet, ConfigMap or chart found in the scan: the blast assumes every pod network comes from one.',
    );
  const cniUnits = new Set(evidence.map((o) => ctx.units.of(o)?.id));
  for (const u of ctx.units.list) {
    if (u.hostNetwork || cniUnits.has(u.id)) continue;
    const dns = /(^|-)(coredns|kube-dns)$/.test(u.name);
    b.victim({
      unit: u,
      role: 'dependent',
      impact: 'cannot-start',
      how: dns
        ? 'running CoreDNS pods keep answering; once one restarts it gets no network, and cluster DNS goes with it'
        : 'running pods keep the network they have (likely); a restart, reschedule or new replica on the node fails with CreatePodSandboxError',
      certainty: 'likely',
      via: ['pod sandbox → CNI ADD'],
      location: u.object.location,
      from: feature,
      edgeLabel: 'sandbox',
    });
  }
  b.order.push(
    'at once: every new pod sandbox on the node fails (CreatePodSandboxError, as at 03:02:52 on 2025-11-14)',
  );
  b.order.push('as pods restart: CoreDNS, then everything that resolves names through it');
  b.order.push('with kube-proxy replacement: Service endpoint changes stop reaching the datapath');
  return b.finish(
    `CNI${evidence.length ? ` (${evidence.map((o) => o.name).join(', ')})` : ''}: ${b.victims.size} workload(s) cannot start new pods on an affected node`,
  );
}
