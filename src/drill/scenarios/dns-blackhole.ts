/** dns-blackhole: one resolver stops answering (UDP and TCP to it dropped). Shows whether lookups fail over. */

import { resolverPath, sameResolver } from '../analysis/affected.ts';
import { predictAgent, predictNode, predictNodeLookup, predictResolvers } from '../analysis/predict.ts';
import { blackholeElements } from '../inject/nft.ts';
import type { Prediction } from '../model.ts';
import { defineScenario } from './scenario.ts';

export const scenario = defineScenario({
  id: 'dns-blackhole',
  summary: 'one resolver goes silent for this node: its answers are dropped on arrival (UDP and TCP)',
  targetFlag: '--resolver',
  targetHelp: 'IP[:PORT]  the resolver (port default 53)',
  defaultPort: 53,
  agentKind: 'dns',
  elements: (target, duration) => blackholeElements(target, duration, ['udp', 'tcp']),
  plan: ({ ctx, target, lookupName, durationSeconds }) => {
    const path = resolverPath(ctx.inventory);
    const predictions: Prediction[] = [
      ...predictResolvers(path, target),
      predictNodeLookup(path, target, lookupName, durationSeconds),
    ];
    const agent = predictAgent(ctx.agent, target, 'dns');
    if (agent) predictions.push(agent);
    predictions.push(predictNode());
    const resolvers = [
      ...path.servers.map((s) => ({
        address: s.address,
        role: path.via === 'resolved' ? 'resolved DNS=' : `nameserver (${path.file})`,
        location: s.location,
      })),
      ...path.fallback.map((s) => ({
        address: s.address,
        role: 'resolved FallbackDNS=',
        location: s.location,
      })),
    ];
    const notes: string[] = [];
    if (!resolvers.some((r) => sameResolver(r.address, target)))
      notes.push("the target is not among this node's configured resolvers: node lookups should not notice");
    notes.push(
      'pods using cluster DNS (CoreDNS) are not affected unless CoreDNS forwards to this resolver from this node',
    );
    return { mounts: [], resolvers, workloads: [], predictions, freeze: undefined, notes };
  },
});
