/**
 * Multi-line excerpts of real reports (a dmesg, a journal, a `kubectl describe` Events table) in the
 * format they were posted, with what a post-mortem author takes from each: the families, the first line
 * of each, the chain. Lines cut from the middle of a trace are marked by the excerpt itself ending early.
 */
import type { CorpusExcerpt } from './types.ts';

const r = String.raw;

export const CORPUS_EXCERPTS: CorpusExcerpt[] = [
  {
    url: 'https://github.com/raspberrypi/linux/issues/2482',
    text: r`[ 3223.539141] nfs: server ease not responding, still trying
[ 3224.579687] nfs: server ease not responding, still trying
[ 3224.612015] nfs: server ease OK
[ 3224.626000] nfs: server ease OK
[ 3438.580109] INFO: task objcopy:24916 blocked for more than 120 seconds.
[ 3438.583905]       Tainted: G         C      4.14.31-1-ARCH #1
[ 3438.587697] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
[ 3438.595231] objcopy         D    0 24916  24912 0x00000000
[ 3438.599109] [<80a87848>] (__schedule) from [<80a88018>] (schedule+0x3c/0xa0)
[ 3438.603019] [<80a88018>] (schedule) from [<8015c138>] (io_schedule+0x14/0x3c)
[ 3438.606896] [<8015c138>] (io_schedule) from [<80230be4>] (wait_on_page_bit+0x110/0x15c)
[ 3438.629666] [<80233190>] (filemap_write_and_wait_range) from [<803db1c4>] (nfs_file_fsync+0x30/0x280)`,
    families: ['nfs', 'hung-task'],
    first: { nfs: 1, 'hung-task': 5 },
    chain: 'NFS → hung tasks',
  },
  {
    url: 'https://github.com/openzfs/zfs/issues/3850',
    text: r`[ 6066.656127] nfs: server batalix not responding, still trying
[ 6101.472129] nfs: server batalix not responding, still trying
[ 6101.472149] nfs: server batalix not responding, still trying
[ 6120.052092] INFO: task bitcoind:2138 blocked for more than 120 seconds.
[ 6120.052110]       Not tainted 4.2.0tmem-tmem #1
[ 6120.052118] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
[ 6120.052128] bitcoind        D 0000000000000001     0  2138      1 0x00000000
[ 6120.052228] Call Trace:
[ 6120.052245]  [<ffffffff81532510>] ? bit_wait+0x50/0x50
[ 6120.052258]  [<ffffffff81531ddf>] ? schedule+0x2f/0x70`,
    families: ['nfs', 'hung-task'],
    first: { nfs: 1, 'hung-task': 4 },
    chain: 'NFS → hung tasks',
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/3011',
    year: 2018,
    text: r`Jul 24 07:33:54 minikube kubelet[2737]: E0724 07:33:54.476629    2737 pod_workers.go:186] Error syncing pod 93f65559e738b84a9e4f8bf38a6b0ecc ("kube-apiserver-minikube_kube-system(93f65559e738b84a9e4f8bf38a6b0ecc)"), skipping: failed to "CreatePodSandbox" for "kube-apiserver-minikube_kube-system(93f65559e738b84a9e4f8bf38a6b0ecc)" with CreatePodSandboxError: "CreatePodSandbox for pod \"kube-apiserver-minikube_kube-system(93f65559e738b84a9e4f8bf38a6b0ecc)\" failed: rpc error: code = Unknown desc = failed pulling image \"k8s.gcr.io/pause-amd64:3.1\": Error response from daemon: Get https://k8s.gcr.io/v2/: dial tcp: lookup k8s.gcr.io on 10.0.2.3:53: server misbehaving"
Jul 24 07:33:54 minikube kubelet[2737]: E0724 07:33:54.479125    2737 remote_runtime.go:92] RunPodSandbox from runtime service failed: rpc error: code = Unknown desc = failed pulling image "k8s.gcr.io/pause-amd64:3.1": Error response from daemon: Get https://k8s.gcr.io/v2/: dial tcp: lookup k8s.gcr.io on 10.0.2.3:53: server misbehaving`,
    families: ['dns', 'kubelet'],
    first: { dns: 1, kubelet: 1 },
    chain: 'DNS → pods',
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/6748',
    year: 2020,
    text: r`Feb 22 09:44:20 minikube kubelet[3889]: E0222 09:44:20.446592    3889 remote_image.go:113] PullImage "nginx:alpine" from image service failed: rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 192.168.64.1:53: read udp 192.168.64.6:43004->192.168.64.1:53: read: connection refused
Feb 22 09:44:20 minikube kubelet[3889]: E0222 09:44:20.446979    3889 kuberuntime_image.go:50] Pull image "nginx:alpine" failed: rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 192.168.64.1:53: read udp 192.168.64.6:43004->192.168.64.1:53: read: connection refused
Feb 22 09:44:20 minikube kubelet[3889]: E0222 09:44:20.447117    3889 kuberuntime_manager.go:803] container start failed: ErrImagePull: rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 192.168.64.1:53: read udp 192.168.64.6:43004->192.168.64.1:53: read: connection refused`,
    families: ['dns', 'kubelet'],
    first: { dns: 1, kubelet: 1 },
    chain: 'DNS → pods',
  },
  {
    url: 'https://github.com/hjacobs/kube-ops-view/issues/174',
    text: r`Events:
  Type     Reason   Age                From               Message
  ----     ------   ----               ----               -------
  Normal   Pulling  18s (x2 over 37s)  kubelet, kworker2  pulling image "hjacobs/kube-ops-view:0.8.1"
  Warning  Failed   18s (x2 over 37s)  kubelet, kworker2  Failed to pull image "hjacobs/kube-ops-view:0.8.1": rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: server misbehaving
  Warning  Failed   18s (x2 over 37s)  kubelet, kworker2  Error: ErrImagePull
  Normal   BackOff  2s (x4 over 34s)   kubelet, kworker2  Back-off pulling image "hjacobs/kube-ops-view:0.8.1"
  Warning  Failed   2s (x4 over 34s)   kubelet, kworker2  Error: ImagePullBackOff`,
    families: ['dns', 'kubelet'],
    first: { dns: 5, kubelet: 5 },
    chain: 'DNS → pods',
  },
  {
    url: 'https://github.com/huggingface/dataset-viewer/issues/270',
    text: r`Events:
  Type     Reason       Age    From               Message
  ----     ------       ----   ----               -------
  Normal   Scheduled    4m44s  default-scheduler  Successfully assigned datasets-server/datasets-server-prod-api-6658dfb778-t5kh5 to ip-10-0-30-134.ec2.internal
  Warning  FailedMount  102s   kubelet            MountVolume.SetUp failed for volume "nfs" : mount failed: exit status 32
Mounting command: mount
Mounting arguments: -t nfs svm-0adb40782285e2ec6.fs-0220b222fb471f3b9.fsx.us-east-1.amazonaws.com:/fsx /var/lib/kubelet/pods/5088f644-f128-4b8c-b7e3-a9058904ac8e/volumes/kubernetes.io~nfs/nfs
Output: mount.nfs: Connection timed out
  Warning  FailedMount  27s (x2 over 2m41s)  kubelet  Unable to attach or mount volumes: unmounted volumes=[nfs], unattached volumes=[nfs kube-api-access-rhbw9]: timed out waiting for the condition`,
    families: ['nfs', 'kubelet'],
    first: { nfs: 5, kubelet: 5 },
    chain: 'NFS → pods',
  },
  {
    url: 'https://github.com/phcollignon/kubernetes_storage/issues/1',
    text: r`Events:
  Type     Reason       Age                   From               Message
  ----     ------       ----                  ----               -------
  Normal   Scheduled    156m                  default-scheduler  Successfully assigned default/busybox-75bbf554bd-5q8kz to docker-desktop
  Warning  FailedMount  151m (x2 over 154m)   kubelet            Unable to attach or mount volumes: unmounted volumes=[nfs], unattached volumes=[nfs kube-api-access-dfdpx]: timed out waiting for the condition
  Warning  FailedMount  150m (x11 over 156m)  kubelet            MountVolume.SetUp failed for volume "nfs" : mount failed: exit status 32
Mounting command: mount
Mounting arguments: -t nfs nfs-server:/exports /var/lib/kubelet/pods/ee25851f-b837-47e2-9619-6d875b9a0a44/volumes/kubernetes.io~nfs/nfs
Output: mount.nfs: Failed to resolve server nfs-server: Name or service not known`,
    families: ['dns', 'nfs', 'kubelet'],
    first: { dns: 6, nfs: 6, kubelet: 5 },
    chain: 'DNS → NFS → pods',
  },
  {
    url: 'https://github.com/prabhatsharma/kubernetes-the-hard-way-aws/issues/12',
    year: 2020,
    text: r`Jan 31 15:43:35 ip-10-240-0-20 kubelet[3072]: I0131 15:43:35.414429    3072 kubelet.go:1953] SyncLoop (PLEG): "untrusted3_default(70a6b852-4440-11ea-9a3e-0624b25d9900)", event: &pleg.PodLifecycleEvent{ID:"70a6b852-4440-11ea-9a3e-0624b25d9900", Type:"ContainerStarted", Data:"8dcbaa8a513e8cd85b2c26e14b09f8204383b77cb4b603308fcd98af5dc0a76d"}
Jan 31 15:46:40 ip-10-240-0-20 kubelet[3072]: I0131 15:46:40.357340    3072 kubelet_node_status.go:446] Recording NodeNotReady event message for node ip-10-240-0-20
Jan 31 15:46:40 ip-10-240-0-20 kubelet[3072]: I0131 15:46:40.357386    3072 setters.go:518] Node became not ready: {Type:Ready Status:False LastHeartbeatTime:2020-01-31 15:46:40.357320576 +0000 UTC m=+6391.653089090 LastTransitionTime:2020-01-31 15:46:40.357320576 +0000 UTC m=+6391.6}`,
    families: ['node'],
    first: { node: 2 },
    chain: '',
  },
  {
    url: 'https://github.com/projectcalico/calico/issues/2040',
    year: 2018,
    text: r`Jun 15 11:06:35 k8s-master001 kubelet[37312]: E0615 11:06:35.062088   37312 cni.go:227] Error while adding to cni network: stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/
Jun 15 11:06:35 k8s-master001 kubelet[37312]: E0615 11:06:35.208665   37312 remote_runtime.go:92] RunPodSandbox from runtime service failed: rpc error: code = Unknown desc = NetworkPlugin cni failed to set up pod "kube-dns-86f4d74b45-p4wmx_kube-system" network: stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/
Jun 15 11:06:35 k8s-master001 kubelet[37312]: E0615 11:06:35.208722   37312 kuberuntime_sandbox.go:54] CreatePodSandbox for pod "kube-dns-86f4d74b45-p4wmx_kube-system(b89917c4-7020-11e8-bc72-00530c0067fa)" failed: rpc error: code = Unknown desc = NetworkPlugin cni failed to set up pod "kube-dns-86f4d74b45-p4wmx_kube-system" network: stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/`,
    families: ['cni', 'kubelet'],
    first: { cni: 1, kubelet: 2 },
    chain: 'CNI → pods',
  },
  {
    url: 'https://github.com/kubernetes/kubelet/issues/46',
    year: 2023,
    text: r`Oct 26 14:08:18 k8s-eu-1-master kubelet[1067481]: E1026 14:08:18.459322 1067481 remote_runtime.go:193] "RunPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to setup network for sandbox \"5db402ddcda98eb797e884575883860a0211c9bf5b6b9d08562793290fd5de78\": plugin type=\"flannel\" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory"
Oct 26 14:08:18 k8s-eu-1-master kubelet[1067481]: E1026 14:08:18.459398 1067481 kuberuntime_sandbox.go:72] "Failed to create sandbox for pod" err="rpc error: code = Unknown desc = failed to setup network for sandbox \"5db402ddcda98eb797e884575883860a0211c9bf5b6b9d08562793290fd5de78\": plugin type=\"flannel\" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory" pod="kube-system/coredns-5dd5756b68-gt7xt"
Oct 26 14:08:18 k8s-eu-1-master kubelet[1067481]: E1026 14:08:18.459421 1067481 kuberuntime_manager.go:1166] "CreatePodSandbox for pod failed" err="rpc error: code = Unknown desc = failed to setup network for sandbox \"5db402ddcda98eb797e884575883860a0211c9bf5b6b9d08562793290fd5de78\": plugin type=\"flannel\" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory" pod="kube-system/coredns-5dd5756b68-gt7xt"`,
    families: ['cni', 'kubelet'],
    first: { cni: 1, kubelet: 1 },
    chain: 'CNI → pods',
  },
  {
    url: 'https://github.com/sonic-net/sonic-buildimage/issues/17358',
    text: r`[ 5300.229390] watchdog: BUG: soft lockup - CPU#2 stuck for 23s! [kworker/2:1:25629]
[ 5300.237965] Kernel panic - not syncing: softlockup: hung tasks
[ 5300.244482] CPU: 2 PID: 25629 Comm: kworker/2:1 Tainted: G OEL 5.10.0-18-2-amd64 #1 Debian 5.10.140-1`,
    families: ['node', 'reboot'],
    first: { node: 1, reboot: 2 },
    chain: 'node → reboot',
  },
  {
    url: 'https://github.com/openzfs/zfs/issues/3997',
    text: r`[    0.000000] Linux version 3.2.0-4-amd64 (debian-kernel@lists.debian.org) (gcc version 4.6.3 (Debian 4.6.3-14) ) #1 SMP Debian 3.2.68-1+deb7u5
[   36.512168] NFSD: Using /var/lib/nfs/v4recovery as the NFSv4 state recovery directory
[   36.525573] NFSD: starting 90-second grace period
[  479.971084] INFO: task nfsd:3780 blocked for more than 120 seconds.
[  479.971253] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.`,
    families: ['hung-task'],
    first: { 'hung-task': 4 },
    chain: '',
  },
  {
    url: 'https://github.com/cilium/cilium/issues/30820',
    year: 2024,
    text: r`Feb 15 20:28:31 kind-worker containerd[3929]: time="2024-02-15T20:28:31.785841950Z" level=info msg="RunPodSandbox for &PodSandboxMetadata{Name:server,Uid:eb9891c8-0b47-426b-8456-10a210f1115f,Namespace:default,Attempt:0,}"
Feb 15 20:28:32 kind-worker containerd[3929]: time="2024-02-15T20:28:32.075190807Z" level=error msg="RunPodSandbox for &PodSandboxMetadata{Name:server,Uid:eb9891c8-0b47-426b-8456-10a210f1115f,Namespace:default,Attempt:0,} failed, error" error="failed to setup network for sandbox \"1341f1c7aa620238c4d30e6f28e6bcb9ec8e44fd34d3f81ceaa1498e672054d2\": plugin type=\"cilium-cni\" failed (add): netplugin failed: \"ts=1708028912.027259, now=2024-02-15 20:28:32.027259, to retry\\n\""`,
    families: ['cni', 'kubelet'],
    first: { cni: 2, kubelet: 2 },
    chain: 'CNI → pods',
  },
];
