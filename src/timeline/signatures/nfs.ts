import { defineFamily } from './types.ts';

// Kernel client messages (fs/nfs, net/sunrpc) and mount.nfs(8) failures. Kubelet lines that quote them
// (FailedMount "Output: mount.nfs: …") belong to the kubelet family.
const KUBELET_QUOTE = /MountVolume|FailedMount|UnmountVolume|Unable to attach or mount/;

export const NFS = defineFamily('nfs', [
  {
    id: 'nfs.server-not-responding',
    severity: 'high',
    needles: ['not responding'],
    pattern: /\b(?<client>nfs|lockd): server (?<server>\S+) not responding, (?<state>still trying|timed out)/,
    summary: 'NFS server {server} not responding ({state})',
    examples: [
      'nfs: server truenas.home.lex.la not responding, still trying',
      'nfs: server 10.0.0.5 not responding, timed out',
      'lockd: server 192.168.1.20 not responding, still trying',
    ],
    nearMisses: [
      'nfs: server truenas.home.lex.la OK',
      'rpcbind: server localhost not responding, timed out',
      'Readiness probe failed: server not responding',
    ],
  },
  {
    id: 'nfs.server-ok',
    severity: 'info',
    needles: [' OK'],
    pattern: /\b(?<client>nfs|lockd): server (?<server>\S+) OK\b/,
    summary: 'NFS server {server} answering again',
    examples: ['nfs: server truenas.home.lex.la OK', 'lockd: server 192.168.1.20 OK'],
    nearMisses: ['nfs: server truenas.home.lex.la not responding, still trying', 'HTTP/1.1 200 OK'],
  },
  {
    id: 'nfs.stale-file-handle',
    severity: 'medium',
    needles: ['file handle'],
    pattern: /(?<path>\/\S*)?:? ?[Ss]tale (?:NFS )?file handle/,
    unless: KUBELET_QUOTE,
    fields: (g) => (g.path ? { path: g.path.replace(/[:'"]+$/, '') } : {}),
    summary: 'stale NFS file handle {path}',
    examples: [
      "ls: cannot access '/mnt/nfs/loki': Stale file handle",
      'open /var/loki/chunks/index_19310: stale NFS file handle',
    ],
    nearMisses: [
      'MountVolume.SetUp failed for volume "pvc-1" : stat /var/lib/kubelet/pods/x/volumes: stale NFS file handle',
      'NFS: nfs4_reclaim_open_state: Lock reclaim failed!',
    ],
  },
  {
    id: 'nfs.mount-failed',
    severity: 'high',
    needles: ['mount.nfs'],
    pattern: /\bmount\.nfs4?: (?<reason>.+)/,
    unless: KUBELET_QUOTE,
    fields: (g) => {
      const reason = g.reason ?? '';
      const at = / while mounting (?<server>[^:\s]+):(?<export>\S+)/.exec(reason)?.groups;
      return at?.server && at.export ? { reason, server: at.server, export: at.export } : { reason };
    },
    summary: 'NFS mount failed: {reason}',
    examples: [
      'mount.nfs: Connection timed out',
      'mount.nfs: access denied by server while mounting truenas.home.lex.la:/mnt/tank/k8s',
      'mount.nfs4: Protocol not supported',
    ],
    nearMisses: [
      'MountVolume.SetUp failed for volume "pvc-1" : mount failed: exit status 32 Output: mount.nfs: Connection timed out',
      'mount: /mnt/data: wrong fs type, bad option, bad superblock on /dev/sdb1',
    ],
  },
  {
    id: 'nfs.client-state-error',
    severity: 'medium',
    needles: ['NFS', 'RPC: AUTH_GSS', 'nfs4'],
    // NFSv4 client state going wrong with its server: bad sequence ids, file ids that changed under it,
    // GSS upcalls to rpc.gssd timing out, trunking discovery and state recovery failing.
    pattern:
      /NFS: v4 server (?:(?<server>\S+) )?returned a bad sequence-id error|NFS: server (?<server2>\S+) error: fileid changed|RPC: AUTH_GSS upcall timed out|NFS: nfs4_discover_server_trunking unhandled error (?<errno>-?\d+)|nfs4_reclaim_open_state: (?:unhandled error|Lock reclaim failed)|state manager failed on NFSv4 server (?<server3>\S+)|NFS: (?:nfs4_reclaim_open_state|nfs4_reclaim_locks): unhandled error/,
    fields: (g, message) => {
      const server = g.server ?? g.server2 ?? g.server3;
      const kind = /sequence-id/.test(message)
        ? 'bad sequence-id'
        : /fileid changed/.test(message)
          ? 'fileid changed'
          : /AUTH_GSS/.test(message)
            ? 'GSS upcall timed out (rpc.gssd)'
            : /trunking/.test(message)
              ? 'trunking discovery failed'
              : 'state recovery failed';
      return { kind, ...(server ? { server } : {}), ...(g.errno ? { errno: g.errno } : {}) };
    },
    summary: 'NFS client: {kind} (server {server|?})',
    examples: [
      'NFS: v4 server returned a bad sequence-id error on an unconfirmed sequence 80f7d0d0!',
      'NFS: server 192.168.100.204 error: fileid changed',
      'RPC: AUTH_GSS upcall timed out.',
      'NFS: nfs4_discover_server_trunking unhandled error -512. Exiting with error EIO',
    ],
    nearMisses: [
      'NFS: Registering the id_resolver key type',
      'RPC: Registered tcp NFSv4.1 backchannel transport module.',
    ],
  },
]);
