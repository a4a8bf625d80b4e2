/**
 * The seed incident's lines as a k3s node writes them to the journal (issue 8): kernel lines, then k3s's
 * klog lines that quote the DNS and CNI failures inside kubelet errors, then the next boot. One list,
 * rendered into every input format the timeline reads (see formats.ts), so each format is tested on
 * the same evidence.
 */

export interface SeedEntry {
  /** ISO time, UTC. */
  time: string;
  program: string;
  pid?: number;
  message: string;
  /** Kernel transport (journal) and no pid. */
  kernel?: boolean;
  /** A new boot starts here (journal _BOOT_ID changes; short formats print `-- Boot … --`). */
  boot?: boolean;
}

export const HOST = 'k8s-cp-01';

const TRACE = [
  '      Not tainted 6.8.0-48-generic #48-Ubuntu',
  '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
  'task:loki            state:D stack:0     pid:25860 tgid:25842 ppid:25790  flags:0x00000002',
  'Call Trace:',
  ' <TASK>',
  ' __schedule+0x3f0/0xb20',
  ' schedule+0x33/0x110',
  ' io_schedule+0x46/0x80',
  ' folio_wait_bit_common+0x136/0x330',
  ' nfs_write_begin+0xa8/0x590 [nfs]',
  ' generic_perform_write+0xa3/0x270',
  ' nfs_file_write+0x1d0/0x320 [nfs]',
  ' vfs_write+0x29f/0x480',
  ' </TASK>',
];

const k = (hms: string, message: string, boot = false): SeedEntry => ({
  time: `2025-11-14T${hms}Z`,
  program: 'kernel',
  message,
  kernel: true,
  boot,
});

export const SEED_ENTRIES: SeedEntry[] = [
  k('02:54:55', 'nfs_write_begin+0xa8/0x590 [nfs]'),
  k('02:54:55', 'nfs_file_write+0x1d0/0x320 [nfs]'),
  k('02:57:18', 'nfs: server truenas.home.lex.la not responding, still trying'),
  {
    time: '2025-11-14T02:58:40Z',
    program: 'k3s',
    pid: 1224,
    message:
      'E1114 02:58:40.301122    1224 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"quay.io/cilium/operator-generic:v1.16.3\\": failed to resolve reference \\"quay.io/cilium/operator-generic:v1.16.3\\": failed to do request: Head \\"https://quay.io/v2/cilium/operator-generic/manifests/v1.16.3\\": dial tcp: lookup quay.io: Try again" image="quay.io/cilium/operator-generic:v1.16.3"',
  },
  {
    time: '2025-11-14T02:58:41Z',
    program: 'k3s',
    pid: 1224,
    message:
      'E1114 02:58:41.220117    1224 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"ghcr.io/grafana/loki:3.2.0\\": failed to resolve reference \\"ghcr.io/grafana/loki:3.2.0\\": failed to do request: Head \\"https://ghcr.io/v2/grafana/loki/manifests/3.2.0\\": dial tcp: lookup ghcr.io: Try again" image="ghcr.io/grafana/loki:3.2.0"',
  },
  k('02:59:00', 'INFO: task loki:25860 blocked for more than 368 seconds.'),
  ...TRACE.map((m) => k('02:59:00', m)),
  {
    time: '2025-11-14T03:02:41Z',
    program: 'k3s',
    pid: 1231,
    message:
      'E1114 03:02:41.870412    1231 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" for \\"grafana-operator-7d9f8b6c5d-x2x9q_monitoring(3f6c1d2e-8a4b-4c5d-9e6f-7a8b9c0d1e2f)\\" with CreatePodSandboxError: \\"Failed to create sandbox for pod \\\\\\"grafana-operator-7d9f8b6c5d-x2x9q_monitoring(3f6c1d2e-8a4b-4c5d-9e6f-7a8b9c0d1e2f)\\\\\\": rpc error: code = Unknown desc = failed to setup network for sandbox \\\\\\"4b1f0e6c2a9d\\\\\\": plugin type=\\\\\\"cilium-cni\\\\\\" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests\\"" pod="monitoring/grafana-operator-7d9f8b6c5d-x2x9q" podUID="3f6c1d2e-8a4b-4c5d-9e6f-7a8b9c0d1e2f"',
  },
  k(
    '19:35:04',
    'Linux version 6.8.0-48-generic (buildd@lcy02-amd64-010) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #48-Ubuntu SMP PREEMPT_DYNAMIC Fri Sep 27 14:04:52 UTC 2024',
    true,
  ),
];
