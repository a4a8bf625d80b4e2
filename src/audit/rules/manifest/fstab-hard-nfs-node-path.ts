/** NFS-017: a hard NFS mount under a path the node's own agents use. */
import { describeRecovery } from '../../analysis/mount-sites.ts';
import { defineRule } from '../../rule.ts';
import { checkEachSite, REF, type RuleExamples } from './support.ts';

/** Directories kubelet, the container runtime and logging walk on their own (stat, du, GC, rotation). */
export const NODE_AGENT_PATHS = [
  '/var/lib/kubelet',
  '/var/lib/containerd',
  '/run/containerd',
  '/var/lib/docker',
  '/var/lib/containers',
  '/var/lib/rancher',
  '/var/lib/etcd',
  '/var/log',
  '/var/lib/cni',
  '/opt/cni',
];

export const rule = defineRule({
  meta: {
    id: 'fstab-hard-nfs-node-path',
    severity: 'high',
    title: 'Hard NFS mount under a kubelet, runtime or log directory',
    description:
      'kubelet, containerd/CRI-O and log rotation walk their directories on their own schedule (image and ' +
      'container GC, volume cleanup, `du` for eviction, log rotation). When one of those paths is a hard NFS ' +
      'mount, an NFS outage blocks those node agents themselves in the kernel (nfs(5): requests retried ' +
      'indefinitely), so the node goes "PLEG is not healthy"/NotReady (kubernetes#74135, #90593) even if no ' +
      'pod uses the share.',
    fix: 'Keep node agent state on local disk; if the share must live there, mount it softerr with a bounded timeo and nofail.',
    inputs: ['/etc/fstab'],
    references: [REF.nfs5, REF.kubeletCascade],
  },
  check: checkEachSite((site) => {
    if (site.origin !== 'fstab' || site.errorAfterSeconds !== null || !site.mountPoint) return undefined;
    const mp = site.mountPoint.replace(/\/+$/, '');
    const under = NODE_AGENT_PATHS.find((p) => mp === p || mp.startsWith(`${p}/`));
    if (!under) return undefined;
    return {
      message: `${site.label} puts a hard NFS mount under ${under}: ${describeRecovery(site)} — node agents (kubelet, container runtime, log rotation) block with it.`,
      evidence: { nodeAgentPath: under },
    };
  }),
});

export const examples: RuleExamples = {
  language: 'fstab',
  bad: '172.16.0.10:/mnt/pool/logs  /var/log/archive  nfs4  hard,vers=4.1,nofail  0  0\n',
  good: '172.16.0.10:/mnt/pool/logs  /srv/log-archive  nfs4  softerr,vers=4.1,timeo=100,retrans=2,nofail  0  0\n',
};
