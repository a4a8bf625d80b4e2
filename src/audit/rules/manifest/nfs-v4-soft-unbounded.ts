/** NFS-009: an NFSv4 soft mount is trusted as a hard time bound, which it is only if TCP breaks. */

import { softBoundDependsOnTransport } from '../../../nfs/mount-options.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples, withEdits } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'nfs-v4-soft-unbounded',
    severity: 'info',
    title: 'NFSv4 soft timeout is only a bound when the connection breaks',
    description:
      'NFSv4 clients set NFS_CS_NO_RETRANS_TIMEOUT (fs/nfs/nfs4client.c): once a request is sent, a soft ' +
      'mount times it out only if the transport connection is terminally broken (net/sunrpc/clnt.c ' +
      'rpc_check_timeout). An unreachable server trips TCP_USER_TIMEOUT at about timeo/10 × (retrans+1), ' +
      'but a server that still ACKs TCP and never answers RPCs (a hung nfsd, a paused VM, a frozen NAS ' +
      'process) can leave "soft" v4 requests waiting far longer than the computed error time.',
    fix: 'Keep the soft options, and add what does not depend on the client giving up: an NFS health probe (RPC NULL with a deadline) and an NFS-aware watchdog test.',
    inputs: ['StorageClass / PV mountOptions', 'Longhorn nfsOptions', '/etc/fstab', '/proc/self/mountinfo'],
    references: [REF.nfs4Soft, REF.nfs5],
  },
  check: checkEachSite((site) => {
    if (!softBoundDependsOnTransport(site.options)) return undefined;
    const v = site.options.version ?? '4 (unpinned: 4.2 tried first)';
    return {
      message: `${site.label}: ${site.options.recovery} over NFSv${v} errors after ${site.errorAfterSeconds} s only if the TCP connection breaks; a server that accepts TCP but never answers leaves requests waiting longer.`,
    };
  }),
});

const bad = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: nfs}
provisioner: nfs.csi.k8s.io
parameters: {server: 172.16.0.10, share: /k8s}
mountOptions: [nfsvers=4.1, soft, timeo=100, retrans=2]
`;

export const examples: RuleExamples = {
  bad,
  good: withEdits(bad, ['[nfsvers=4.1,', '[nfsvers=3,']),
};
