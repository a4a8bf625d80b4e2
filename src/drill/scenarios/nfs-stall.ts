/**
 * nfs-stall: the server accepts TCP but never answers an RPC, as a hung nfsd or a SIGSTOPped ganesha
 * does. The fault drops the server's data-carrying segments (PSH) on their way in; the handshake and bare
 * ACKs pass, so the connection stays up and every request waits. When the element expires, the server's
 * retransmission gets through and the waiting calls complete (verified against nfs-ganesha in a netns:
 * an RPC NULL call that started during a 5 s stall returned right after it ended).
 */
import { stallElements } from '../inject/nft.ts';
import { nfsPlan } from './nfs-shared.ts';
import { defineScenario } from './scenario.ts';

export const scenario = defineScenario({
  id: 'nfs-stall',
  summary: 'the NFS server accepts TCP but its RPC replies never arrive (a hung server)',
  targetFlag: '--server',
  targetHelp: 'HOST[:PORT]  the NFS server (port default 2049)',
  defaultPort: 2049,
  agentKind: 'nfs',
  elements: (target, duration) => stallElements(target, duration),
  plan: (input) => nfsPlan(input, 'stalled'),
});
