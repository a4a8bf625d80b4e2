import { defineFamily } from './types.ts';

/** Kernel modules and symbol prefixes of the NFS client and SUNRPC: a task waiting here waits on the server. */
export const NFS_MODULES = /^(?:nfs|nfsv3|nfsv4|sunrpc|lockd|rpcsec_gss_krb5)$/;
export const NFS_SYMBOL = /^_*(?:nfs|rpc|xprt|svc_|gss_)/;

// A frame as the kernel prints it in a trace (`  nfs_write_begin+0xa8/0x590 [nfs]`, maybe after `? `) or
// as /proc/PID/stack shows it (`[<0>] rpc_wait_bit_killable+0x1e/0xa0 [sunrpc]`).
const FRAME = String.raw`^\s*(?:\[<[0-9a-fx]+>\] )?(?:\? )?`;
const OFFSET = String.raw`\+0x[0-9a-f]+/0x[0-9a-f]+`;

export const HUNG_TASK = defineFamily('hung-task', [
  {
    id: 'hung-task.blocked',
    severity: 'high',
    needles: ['blocked for more than'],
    pattern: /\bINFO: task (?<task>.+):(?<pid>\d+) blocked for more than (?<seconds>\d+) seconds/,
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
    pattern: new RegExp(
      `${FRAME}(?:(?<symbol>_*(?:nfs|rpc|xprt)\\w*)${OFFSET}|(?<modsymbol>\\w+)${OFFSET} \\[(?:nfs|nfsv[34]|sunrpc|lockd)\\])`,
    ),
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
    ],
    nearMisses: [
      ' __schedule+0x3f0/0xb20',
      '[<0>] ext4_file_write_iter+0x4a/0x600',
      'nfs_write_begin: waiting for the server',
    ],
  },
  {
    id: 'hung-task.d-state-ps',
    severity: 'high',
    needles: ['nfs', 'rpc', 'xprt'],
    // `ps -eo pid,stat,wchan:32,comm`: a D-state row whose wait channel is in the NFS client or SUNRPC.
    pattern: /^\s*(?<pid>\d+)\s+(?<stat>D\S*)\s+(?<wchan>_*(?:nfs|rpc|xprt)\w*)\s+(?<task>\S+)/,
    causedBy: ['nfs'],
    summary: 'task {task}:{pid} in D state waiting in {wchan}',
    examples: [
      '25860 D    rpc_wait_bit_killable            loki',
      '  3121 Ds   nfs_wait_on_request              promtail',
    ],
    nearMisses: [
      '25860 S    do_epoll_wait                    loki',
      '  987 D    io_schedule                      jbd2/sda1-8',
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
