/** nfs-blackhole: the NFS server stops answering from this node's point of view (packets to it dropped). */
import { blackholeElements } from '../inject/nft.ts';
import { nfsPlan } from './nfs-shared.ts';
import { defineScenario } from './scenario.ts';

export const scenario = defineScenario({
  id: 'nfs-blackhole',
  summary:
    'the NFS server goes silent for this node: its packets are dropped on arrival (TCP and UDP; all ports when none is given)',
  targetFlag: '--server',
  targetHelp: 'HOST[:PORT]  the NFS server (no port: every port of that host)',
  defaultPort: undefined,
  agentKind: 'nfs',
  elements: (target, duration) => blackholeElements(target, duration, ['tcp', 'udp']),
  plan: (input) => nfsPlan(input, 'unreachable'),
});
