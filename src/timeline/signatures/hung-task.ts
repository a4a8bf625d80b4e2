import { HUNG_TASK_LINE_SOURCE } from '../../kernel/hung-task.ts';
import {
  FRAME_PREFIX_SOURCE as FRAME,
  isNfsClientFrame,
  NFS_CLIENT_SYMBOL_SOURCE,
  NFS_SERVER_SYMBOL_SOURCE,
  nfsClientFrameLineSource,
  nfsFrameLineSupersetSource,
  FRAME_OFFSET_SOURCE as OFFSET,
} from '../../kernel/stack.ts';
import { defineFamily } from './types.ts';

// Which frames are NFS client code is src/kernel/stack.ts's decision (client vs server side settled by
// the kernel tree); the patterns below are compiled from its tables.
export { isNfsClientFrame };

export const HUNG_TASK = defineFamily('hung-task', [
  {
    id: 'hung-task.blocked',
    severity: 'high',
    needles: ['blocked for more than'],
    pattern: new RegExp(HUNG_TASK_LINE_SOURCE),
    summary: 'task {task}:{pid} blocked for more than {seconds} s',
    foldsTrace: true,
    examples: [
      'INFO: task loki:25860 blocked for more than 368 seconds.',
      'INFO: task kworker/u8:2:1234 blocked for more than 120 seconds.',
      { program: 'kernel', message: 'INFO: task containerd:987 blocked for more than 241 seconds.' },
    ],
    nearMisses: [
      '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
      'task loki:25860 is blocked on a mutex',
    ],
  },
  {
    id: 'hung-task.nfs-frame',
    severity: 'high',
    needles: ['+0x'],
    pattern: new RegExp(nfsFrameLineSupersetSource()),
    // The server side (nfsd, svc_*) shares module sunrpc and name prefixes with the client.
    unless: new RegExp(`^(?!${nfsClientFrameLineSource()})`),
    fields: (g) => ({ frames: (g.symbol ?? g.modsymbol ?? '').replace(/^_+/, '') }),
    causedBy: ['nfs'],
    summary: 'task waiting inside the NFS client ({frames})',
    foldsTrace: true,
    examples: [
      'nfs_write_begin+0xa8/0x590 [nfs]',
      'nfs_file_write+0x1d0/0x320 [nfs]',
      '[<0>] rpc_wait_bit_killable+0x1e/0xa0 [sunrpc]',
      ' ? __rpc_execute+0x10d/0x3c0 [sunrpc]',
      ' wait_on_commit+0x71/0xb0 [nfs]',
      // Client-side RPCSEC_GSS: waiting on rpc.gssd (http://jurjenbokma.com/ApprenticesNotes/kerberized_nfs4_riddle.xhtml).
      '[<ffffffffc0147b8e>] gss_cred_init+0xce/0x350 [auth_rpcgss]',
      ' call_refresh+0x3c/0x70 [sunrpc]',
    ],
    nearMisses: [
      ' __schedule+0x3f0/0xb20',
      '[<0>] ext4_file_write_iter+0x4a/0x600',
      'nfs_write_begin: waiting for the server',
      // NFS server threads (fs/nfsd, net/sunrpc/svc.c): the node is the server, not waiting on one
      // (https://github.com/openzfs/zfs/issues/2628, https://github.com/openzfs/zfs/pull/2828).
      ' [<ffffffffa031b050>] ? svc_process+0x110/0x12c [sunrpc]',
      ' nfs4_lock_state+0x15/0x20 [nfsd]',
      ' nfsd_open+0x9a/0x1f0 [nfsd]',
    ],
  },
  {
    id: 'hung-task.d-state-ps',
    severity: 'high',
    needles: ['nfs', 'rpc', 'xprt', 'xs_', 'gss_', 'nlmclnt_'],
    // `ps -eo pid,stat,wchan:32,comm`: a D-state row whose wait channel is in the NFS client or SUNRPC.
    pattern: new RegExp(
      String.raw`^\s*(?<pid>\d+)\s+(?<stat>D\S*)\s+(?<wchan>${NFS_CLIENT_SYMBOL_SOURCE}\w*)\s+(?<task>\S+)`,
    ),
    unless: new RegExp(String.raw`^\s*\d+\s+D\S*\s+${NFS_SERVER_SYMBOL_SOURCE}`),
    causedBy: ['nfs'],
    summary: 'task {task}:{pid} in D state waiting in {wchan}',
    examples: [
      '25860 D    rpc_wait_bit_killable            loki',
      '  3121 Ds   nfs_wait_on_request              promtail',
    ],
    nearMisses: [
      '25860 S    do_epoll_wait                    loki',
      '  987 D    io_schedule                      jbd2/sda1-8',
      ' 3782 D    nfsd_open                        nfsd',
      ' 3790 D    svc_recv                         nfsd',
    ],
  },
]);

/**
 * Lines that continue a hung-task report or a call trace: the "Tainted" line, the "echo 0 >" hint, the
 * task header, `Call Trace:`, `<TASK>` brackets, frames and register dumps.
 */
export const TRACE_CONTINUATION = new RegExp(
  String.raw`^\s*(?:Tainted:|Not tainted|"echo 0 > /proc/sys/kernel/hung_task_timeout_secs"|task:\S+\s+state:|Call Trace:|</?TASK>|</?IRQ>|RIP:|Code:|State: |R[A-Z0-9]{1,2}: |(?:\[<[0-9a-fx]+>\] )?(?:\? )?[\w.]+${OFFSET})`,
);

/** The symbol and module of a frame line, for collecting the NFS frames of a folded trace. */
export const FRAME_PARTS = new RegExp(`${FRAME}(?<symbol>[\\w.]+)${OFFSET}(?: \\[(?<module>\\w+)\\])?`);
