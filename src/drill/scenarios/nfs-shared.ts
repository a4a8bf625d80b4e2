/** Plan parts both NFS scenarios share: the server's mounts on this node, who uses them, the freeze check. */
import { formatLocation } from '../../core/location.ts';
import { affectedMounts, workloadsOf } from '../analysis/affected.ts';
import { type NfsFault, predictAgent, predictMount, predictNode } from '../analysis/predict.ts';
import type { Prediction, TouchedWorkload } from '../model.ts';
import { formatEndpoint } from '../target.ts';
import type { ScenarioInput, ScenarioPlan } from './scenario.ts';

export function nfsPlan(input: ScenarioInput, fault: NfsFault): ScenarioPlan {
  const { ctx, target, durationSeconds } = input;
  const mounts = affectedMounts(ctx.inventory, target);
  const predictions: Prediction[] = mounts.map((m) =>
    predictMount(m, fault, durationSeconds, ctx.hungTaskSeconds),
  );
  const workloads: TouchedWorkload[] = [];
  const seen = new Set<string>();
  for (const w of [
    ...mounts.flatMap((m) => m.users),
    ...workloadsOf(ctx.inventory, target).map((w) => w.ref),
  ]) {
    const key = `${w.ref} ${w.via}`;
    if (!seen.has(key)) workloads.push(w);
    seen.add(key);
  }
  const server = formatEndpoint({ ...target, port: target.port ?? 2049 });
  predictions.unshift({
    id: `server:${server}`,
    kind: 'server',
    subject: server,
    expect: 'unanswered',
    because:
      fault === 'stalled'
        ? 'TCP still connects, the RPC NULL reply never arrives (what a hung server looks like)'
        : 'its packets are dropped on arrival: connecting times out',
    caveats: [],
  });
  const agent = predictAgent(ctx.agent, target, 'nfs');
  if (agent) predictions.push(agent);
  predictions.push(predictNode());

  // The node freezes (as on 2025-11-14) when hard mounts of this server have users: their tasks pile up
  // in uninterruptible waits, kubelet's PLEG stalls on them, the node goes NotReady.
  const frozen = mounts.filter((m) => m.site.errorAfterSeconds === null && m.users.length > 0);
  const freeze = frozen.length
    ? `hard mount(s) with users would block for the whole fault: ${frozen
        .map(
          (m) =>
            `${m.site.mountPoint} (${m.users.map((u) => u.ref).join(', ')}; ${formatLocation(m.site.location)})`,
        )
        .join('; ')}`
    : undefined;
  const notes: string[] = [];
  if (mounts.length === 0)
    notes.push(
      `no live NFS mount of ${formatEndpoint(target)} in mountinfo: only the server probe and the agent are observed`,
    );
  return {
    mounts: mounts.map((m) => ({
      label: m.site.label,
      mountPoint: m.site.mountPoint,
      options: m.site.written.map((w) => w.text).join(','),
      location: m.site.location,
    })),
    resolvers: [],
    workloads,
    predictions,
    freeze,
    notes,
  };
}
