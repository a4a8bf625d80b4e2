/**
 * NFS client RPC statistics from <proc>/<pid>/mountstats (fs/nfs/super.c nfs_show_stats,
 * net/sunrpc/stats.c rpc_clnt_show_stats), per NFS mount:
 *   device SERVER:/export mounted on /mnt with fstype nfs4 statvers=1.1
 *   \topts:\trw,vers=4.1,…
 *   \tRPC iostats version: 1.1  p/v: 100003/4 (nfs)
 *   \txprt:\ttcp srcport bind_count connect_count connect_time idle_time sends recvs bad_xids req_u bklog_u …
 *   \tper-op statistics
 *   \t        READ: ops transmissions major_timeouts bytes_sent bytes_recv queue_ms rtt_ms execute_ms [errors]
 * Retransmissions = transmissions − ops; a major timeout is a request that hit timeo×retrans (the
 * "server not responding" message on a hard mount).
 */
import { unescapeMountField } from './mountinfo.ts';

export interface NfsMountStats {
  device: string;
  mountPoint: string;
  fsType: string;
  /** Host part of the device ("10.0.0.5", "nfs.example.com", "fd00::5"). */
  server: string;
  ops: number;
  retransmissions: number;
  majorTimeouts: number;
  xprt?: { proto: string; connectCount: number; badXids: number; sends: number; recvs: number };
}

export function parseMountStats(text: string): NfsMountStats[] {
  const out: NfsMountStats[] = [];
  let cur: NfsMountStats | undefined;
  let inOps = false;
  for (const raw of text.split('\n')) {
    const dev = /^device (\S+) mounted on (\S+) with fstype (\S+)/.exec(raw);
    if (dev) {
      inOps = false;
      cur = undefined;
      const fsType = dev[3]!;
      if (fsType !== 'nfs' && fsType !== 'nfs4') continue;
      const device = unescapeMountField(dev[1]!);
      const host = /^\[([^\]]+)\]:/.exec(device)?.[1] ?? device.slice(0, Math.max(0, device.indexOf(':')));
      cur = {
        device,
        mountPoint: unescapeMountField(dev[2]!),
        fsType,
        server: host,
        ops: 0,
        retransmissions: 0,
        majorTimeouts: 0,
      };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const line = raw.trim();
    if (line.startsWith('xprt:')) {
      const f = line.slice(5).trim().split(/\s+/);
      // tcp: srcport bind_count connect_count connect_time idle_time sends recvs bad_xids …
      // udp: srcport bind_count sends recvs bad_xids …
      if (f[0] === 'tcp' || f[0] === 'rdma') {
        cur.xprt = { proto: f[0], connectCount: +f[3]!, sends: +f[6]!, recvs: +f[7]!, badXids: +f[8]! };
      } else if (f[0] === 'udp') {
        cur.xprt = { proto: 'udp', connectCount: 0, sends: +f[3]!, recvs: +f[4]!, badXids: +f[5]! };
      }
      continue;
    }
    if (line === 'per-op statistics') {
      inOps = true;
      continue;
    }
    if (inOps) {
      const m = /^([A-Z0-9_]+):\s+(\d+)\s+(\d+)\s+(\d+)/.exec(line);
      if (!m) {
        inOps = false;
        continue;
      }
      const ops = Number(m[2]);
      const trans = Number(m[3]);
      cur.ops += ops;
      cur.retransmissions += Math.max(0, trans - ops);
      cur.majorTimeouts += Number(m[4]);
    }
  }
  return out;
}
