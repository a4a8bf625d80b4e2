/**
 * Real log lines from public reports, one per row, with the source's URL (issue 8: "the real world is the
 * spec"). Wrapped lines are joined; long hex ids may be cut with "…". The expected families are what the
 * line shows failed, cause first. corpus.test.ts measures the timeline against them; the held-out rows
 * are in heldout.ts.
 */
import type { CorpusLine } from './types.ts';

const r = String.raw;

export const CORPUS_LINES: CorpusLine[] = [
  // DNS inside other components' lines
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/105152',
    line: r`time="2021-09-20T11:46:56Z" level=error msg="finished unary call with code Unknown" error="rpc error: code = Unknown desc = Get \"https://github.com/sajanraj/Rest-Standalone-API.git/info/refs?service=git-upload-pack\": dial tcp: lookup github.com on 10.96.0.10:53: server misbehaving" grpc.code=Unknown grpc.method=Create grpc.service=repository.RepositoryService grpc.start_time="2021-09-20T11:46:54Z" grpc.time_ms=2025.424 span.kind=server system=grpc`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/3011',
    line: r`Jul 24 07:33:54 minikube kubelet[2737]: E0724 07:33:54.476629    2737 pod_workers.go:186] Error syncing pod 93f65559e738b84a9e4f8bf38a6b0ecc ("kube-apiserver-minikube_kube-system(93f65559e738b84a9e4f8bf38a6b0ecc)"), skipping: failed to "CreatePodSandbox" for "kube-apiserver-minikube_kube-system(93f65559e738b84a9e4f8bf38a6b0ecc)" with CreatePodSandboxError: "CreatePodSandbox for pod \"kube-apiserver-minikube_kube-system(93f65559e738b84a9e4f8bf38a6b0ecc)\" failed: rpc error: code = Unknown desc = failed pulling image \"k8s.gcr.io/pause-amd64:3.1\": Error response from daemon: Get https://k8s.gcr.io/v2/: dial tcp: lookup k8s.gcr.io on 10.0.2.3:53: server misbehaving"`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/3011',
    line: r`Jul 24 07:33:54 minikube kubelet[2737]: E0724 07:33:54.479125    2737 remote_runtime.go:92] RunPodSandbox from runtime service failed: rpc error: code = Unknown desc = failed pulling image "k8s.gcr.io/pause-amd64:3.1": Error response from daemon: Get https://k8s.gcr.io/v2/: dial tcp: lookup k8s.gcr.io on 10.0.2.3:53: server misbehaving`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/6748',
    line: r`Feb 22 09:44:20 minikube kubelet[3889]: E0222 09:44:20.446592    3889 remote_image.go:113] PullImage "nginx:alpine" from image service failed: rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 192.168.64.1:53: read udp 192.168.64.6:43004->192.168.64.1:53: read: connection refused`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/6748',
    line: r`Feb 22 09:44:20 minikube kubelet[3889]: E0222 09:44:20.447117    3889 kuberuntime_manager.go:803] container start failed: ErrImagePull: rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 192.168.64.1:53: read udp 192.168.64.6:43004->192.168.64.1:53: read: connection refused`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/hjacobs/kube-ops-view/issues/176',
    line: r`  Warning  Failed     18s (x2 over 37s)  kubelet, kworker2  Failed to pull image "hjacobs/kube-ops-view:0.8.1": rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: server misbehaving`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/4213',
    line: r`May 06 15:43:13 permanent kubelet[3221]: E0506 15:43:13.786573    3221 remote_image.go:113] PullImage "memcached:1.4.36-alpine" from image service failed: rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 10.0.2.3:53: read udp 10.0.2.15:54684->10.0.2.3:53: i/o timeout`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/4213',
    line: r`May 06 15:43:13 permanent kubelet[3221]: E0506 15:43:13.791078    3221 kuberuntime_image.go:51] Pull image "memcached:1.4.36-alpine" failed: rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 10.0.2.3:53: read udp 10.0.2.15:54684->10.0.2.3:53: i/o timeout`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/istio/community/issues/25',
    line: r`  Warning  Failed                 1m (x3 over 3m)   kubelet, minikube  Failed to pull image "istio/examples-bookinfo-reviews-v2:0.2.8": rpc error: code = Unknown desc = Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 192.168.64.1:53: server misbehaving`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/39980',
    line: r`Error from server: error dialing backend: dial tcp: lookup kubeworker on x.x.x.x:53: server misbehaving`,
    families: ['dns'],
  },
  // CoreDNS errors plugin: the upstream did not answer
  {
    url: 'https://github.com/coredns/coredns/issues/4211',
    line: r`[ERROR] plugin/errors: 2 3797952284163317497.7063757873447144811. HINFO: read udp 192.168.209.17:36807->20.128.8.8:53: i/o timeout`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/coredns/coredns/issues/5179',
    line: r`[ERROR] plugin/errors: 2 svc-datadog-agent-dogstatsd.datadog-agent.toyota-europe.com. SRV: read udp 192.168.86.18:56917->150.45.86.241:53: i/o timeout`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/86762',
    line: r`[ERROR] plugin/errors: 2 lcr.acjus.jus.br. A: read udp 169.254.25.10:16773->169.254.25.10:53: i/o timeout`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/91518',
    line: r`[ERROR] plugin/errors: 2 accountant-server-http-provider-6b8756994f-zzf49. A: read udp 172.30.57.16:53039->119.29.29.29:53: i/o timeout`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/syseleven/designate-certmanager-webhook/issues/34',
    line: r`[ERROR] plugin/errors: 2 identity-3.eu-de-1.cloud.sap. A: read udp 10.244.1.6:36797->168.63.129.16:53: i/o timeout`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/coredns/deployment/issues/225',
    line: r`[ERROR] plugin/errors: 2 7553930501182690030.5295112943253332074. HINFO: read udp 10.200.0.5:48557->172.23.83.11:53: i/o timeout`,
    families: ['dns'],
  },
  // systemd-resolved degrading its upstream
  {
    url: 'https://github.com/systemd/systemd/issues/30577',
    line: r`Dec 17 03:29:09 PC001 systemd-resolved[95914]: Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 2001:4860:4860::8844.`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/systemd/systemd/issues/30577',
    line: r`Dec 17 03:52:13 PC001 systemd-resolved[95914]: Using degraded feature set TCP instead of UDP for DNS server 2001:4860:4860::8844.`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/systemd/systemd/issues/17428',
    line: r`Oct 24 17:36:39 softmatrix systemd-resolved[87916]: Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 2a00:5a60::ad1:ff#adguard.com.`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/systemd/systemd/issues/13432',
    line: r`jan 02 15:17:27  systemd-resolved[508625]: Using degraded feature set (UDP) for DNS server a.b.c.d.`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/firezone/firezone/issues/9983',
    line: r`Jul 24 14:33:04 fedora.fritz.box systemd-resolved[1723]: Using degraded feature set UDP instead of UDP+EDNS0 for DNS server fd00:2021:1111:8000:100:100:111:1.`,
    families: ['dns'],
  },
  // CNI failures inside kubelet/containerd lines and events
  {
    url: 'https://github.com/cilium/cilium/issues/29315',
    line: r`Nov 21 23:29:11.706: INFO: At 2023-11-21 23:27:20 +0000 UTC - event for netserver-1: {kubelet cilium-testing-worker2} FailedCreatePodSandBox: Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "78e3597366566df22a8efc6e045ce87103fcd89d0aecffa297d595020896777a": plugin type="cilium-cni" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/47031',
    line: r`I0709 03:58:46.158341   12022 dump.go:53] At 2026-07-09 03:56:45 +0000 UTC - event for pod-server-1: {kubelet cilium-testing-worker2} FailedCreatePodSandBox: Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "58db709989111ca9c81c63ae5afe2125107ed0f479d41242a28c70945a7b27fa": plugin type="cilium-cni" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/40219',
    line: r`Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "42d818bccfb7614c219fbf8aa5b6c737d8b4c911b7d43d5773d1e3b79da23fa6": plugin type="cilium-cni" failed (add): unable to create endpoint: Cilium API client timeout exceeded`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/5028',
    line: r`  Warning  FailedCreatePodSandBox  3m               kubelet, minikube  Failed create pod sandbox: rpc error: code = Unknown desc = NetworkPlugin cni failed to set up pod "details-v1-5cdff44756-98mhs_default" network: Unable to create endpoint: [PUT /endpoint/{id}][500] putEndpointIdFailed  endpoint 21062 did not synchronously regenerate after timeout`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/40345',
    line: r`Jul 03 12:30:02 storage-04 kubelet[7748]:         rpc error: code = Unknown desc = failed to setup network for sandbox "eda8bab9e1914ec43190de3df221354a5a9db9b2385bddc2afe02b271d11668b": plugin type="cilium-cni" failed (add): unable to connect to Cilium agent: failed to create cilium agent client after 30.000000 seconds timeout: Get "http://localhost/v1/config": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory`,
    // A sandbox that could not get its network: the pod failed too (label corrected after the first run).
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/9322',
    line: r`Warning  FailedCreatePodSandBox  62s                 kubelet, kiubit-4-dev-worker-1  Failed create pod sandbox: rpc error: code = Unknown desc = failed to create pod network sandbox k8s_cilium-operator-7d6ddddbf5-4bq6b_kube-system_e99f61c8-ffd4-43e5-952f-d4528da1b7ba_0(b2e63c859ca9bf7c3e93f740ecad8e1a1cc4382e910980b52593666163543783): unable to connect to Cilium daemon: failed to create cilium agent client after 30.000000 seconds timeout: Get http://%!F(MISSING)var%!F(MISSING)run%!F(MISSING)cilium%!F(MISSING)cilium.sock/v1/config: dial unix /var/run/cilium/cilium.sock: connect: no such file or directory`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/6801',
    line: r`  Warning  FailedCreatePodSandBox  20s   kubelet, ip-192-168-4-64.us-west-2.compute.internal  Failed create pod sandbox: rpc error: code = Unknown desc = [failed to set up sandbox container "7cf45c4df81512373b370ffe526ce61fad423a1c801f6d0136f389314a4fac1c" network for pod "cilium-etcd-zj5wtgvx9d": NetworkPlugin cni failed to set up pod "cilium-etcd-zj5wtgvx9d_kube-system" network: unable to connect to Cilium daemon: Failed to create cilium agent client after 30.000000 seconds timeout: %!!(MISSING)s(<nil>)]`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/kubermatic/dashboard/issues/7816',
    line: r`  Warning  FailedCreatePodSandBox  13m   kubelet            Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "671a92300345bd0ed7f6ea920ff1b9f59aa4ae57bcdf62f379d6aaaff2757e42": plugin type="cilium-cni" failed (add): unable to connect to Cilium agent: failed to create cilium agent client after 30.000000 seconds timeout: Get "http://localhost/v1/config": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/30820',
    line: r`Feb 15 20:28:32 kind-worker containerd[3929]: time="2024-02-15T20:28:32.075190807Z" level=error msg="RunPodSandbox for &PodSandboxMetadata{Name:server,Uid:eb9891c8-0b47-426b-8456-10a210f1115f,Namespace:default,Attempt:0,} failed, error" error="failed to setup network for sandbox \"1341f1c7aa620238c4d30e6f28e6bcb9ec8e44fd34d3f81ceaa1498e672054d2\": plugin type=\"cilium-cni\" failed (add): netplugin failed: \"ts=1708028912.027259, now=2024-02-15 20:28:32.027259, to retry\\n\""`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/Azure/aks-engine/issues/2064',
    line: r`   Warning  FailedCreatePodSandBox  10m                   kubelet, k8s-agent1-16547133-vmss000001  Failed create pod sandbox: rpc error: code = Unknown desc = failed to set up sandbox container "f11fd07d8d3669fe8b571ea2ba2c53ff87773417d00e61bcef5767c7f1b6c652" network for pod "portforwardlinux-6252-bc95f66d9-k5mdr": NetworkPlugin cni failed to set up pod "portforwardlinux-6252-bc95f66d9-k5mdr_default" network: unexpected end of JSON input`,
    families: ['cni', 'kubelet'],
  },
  // cilium-agent's own lines
  {
    url: 'https://github.com/cilium/cilium/issues/15428',
    line: r`level=warning msg="Not processing API request. Wait duration for maximum parallel requests exceeds maximum" error="context canceled" name=endpoint-delete parallelRequests=4 subsys=rate uuid=75062f71-8b83-11eb-bee1-0610ca3146ec`,
    families: ['cni'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/38313',
    line: r`time="2025-03-19T10:24:07Z" level=warning msg="Creation of endpoint failed due to invalid data" ciliumEndpointName=/ containerID= containerInterface= datapathPolicyRevision=0 desiredPolicyRevision=0 endpointID=0 error="IP ipv4:10.17.239.232 is already in use" ipv4= ipv6= k8sPodName=/ subsys=daemon`,
    families: ['cni'],
  },
  // calico / flannel equivalents
  {
    url: 'https://github.com/projectcalico/calico/issues/6309',
    line: r`2022-07-01 09:31:06.551 [ERROR][4035329] plugin.go 121: Final result of CNI ADD was an error. error=stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/`,
    families: ['cni'],
  },
  {
    url: 'https://github.com/kubesphere/kubekey/issues/2504',
    line: r`Mar 10 11:23:25 master01 kubelet[30360]: E0310 11:23:25.118774   30360 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \"KillPodSandbox\" for \"df5850ac-71ea-4222-a991-e6f83020cac6\" with KillPodSandboxError: \"rpc error: code = Unknown desc = failed to destroy network for sandbox \\\"e7ca2caab400695302490760c6f4a69348788886f7330240da1ea7e567563d9a\\\": plugin type=\\\"calico\\\" failed (delete): stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/\"" pod="kube-system/calico-kube-controllers-75c587cc8d-jf892" podUID="df5850ac-71ea-4222-a991-e6f83020cac6"`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/projectcalico/calico/issues/2040',
    line: r`Jun 15 11:06:35 k8s-master001 kubelet[37312]: E0615 11:06:35.208665   37312 remote_runtime.go:92] RunPodSandbox from runtime service failed: rpc error: code = Unknown desc = NetworkPlugin cni failed to set up pod "kube-dns-86f4d74b45-p4wmx_kube-system" network: stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/projectcalico/calico/issues/2841',
    line: r`Sep 07 13:23:01 ip-10-120-147-201.eu-west-1.compute.internal kubelet-wrapper[1668]: E0907 13:23:01.475528    1668 cni.go:324] Error adding default_nginx-57867cc648-mnx49/218b83cb2072de4d2d264cae46237ec72e97ac64d82df71d22bd96bc2c3eb9b1 to network calico/k8s-pod-network: stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/`,
    families: ['cni'],
  },
  {
    url: 'https://github.com/flannel-io/flannel/issues/2253',
    line: r`Warning  FailedCreatePodSandBox  11s    kubelet            Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "3c05350cf5717b9bcf92a63ffafb7a3d27bd5ad1880de39272e72aa1661e637e": plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/kubelet/issues/46',
    line: r`Oct 26 14:08:18 k8s-eu-1-master kubelet[1067481]: E1026 14:08:18.459398 1067481 kuberuntime_sandbox.go:72] "Failed to create sandbox for pod" err="rpc error: code = Unknown desc = failed to setup network for sandbox \"5db402ddcda98eb797e884575883860a0211c9bf5b6b9d08562793290fd5de78\": plugin type=\"flannel\" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory" pod="kube-system/coredns-5dd5756b68-gt7xt"`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/k3s-io/k3s/issues/122',
    line: r`time="2019-03-04T09:52:59.921084000+01:00" level=error msg="RunPodSandbox for &PodSandboxMetadata{Name:nginx-deployment-76bf4969df-9v59s,Uid:65aa0f59-3d40-11e9-8c52-4ccc6abd096d,Namespace:default,Attempt:0,} failed, error" error="failed to setup network for sandbox \"588dd7de6c71ecdd24f322e2f15fc66b49ecc9621d95d0ff73e7dc9dfdc20cbf\": open /run/flannel/subnet.env: no such file or directory"`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/website/issues/10377',
    line: r`  Warning  FailedCreatePodSandBox  1d                 kubelet, node2     Failed create pod sandbox: rpc error: code = Unknown desc = failed to set up sandbox container "99e30671c80ab8fe5cedd54fb4edd2ce99ebc45ed120e912d2c7e51f2cab350a" network for pod "node1-6777d4468-d6tvq": NetworkPlugin cni failed to set up pod "node1-6777d4468-d6tvq_default" network: open /run/flannel/subnet.env: no such file or directory`,
    families: ['cni', 'kubelet'],
  },
  // NFS client messages
  {
    url: 'https://github.com/raspberrypi/linux/issues/2482',
    line: r`[ 3223.539141] nfs: server ease not responding, still trying`,
    families: ['nfs'],
  },
  {
    url: 'https://github.com/csabahenk/cirros/issues/9',
    line: r`[ 4182.497622] nfs: server 10.0.0.2 not responding, timed out`,
    families: ['nfs'],
  },
  {
    url: 'https://github.com/openzfs/zfs/issues/15734',
    line: r`[Wed Apr 10 17:58:24 2024] nfs: server 192.168.0.1 not responding, still trying`,
    families: ['nfs'],
  },
  {
    url: 'https://lists.freebsd.org/pipermail/freebsd-fs/2018-February/025902.html',
    line: r`Feb 27 10:39:42 localhost kernel: [12481477.608103] NFS: v4 server returned a bad sequence-id error on an unconfirmed sequence 80f7d0d0!`,
    families: ['nfs'],
  },
  {
    url: 'https://git.leafos.org/LeafOS-Devices/android_kernel_samsung_universal7904/+/ea96d1ecbe4fcb1df487d99309d3157b4ff5fc02',
    line: r`[Apr 3 14:28] NFS: server 192.168.100.204 error: fileid changed`,
    families: ['nfs'],
  },
  // mount.nfs failures in FailedMount events
  {
    url: 'https://github.com/nacos-group/nacos-k8s/issues/69',
    line: r`MountVolume.SetUp failed for volume "nfs-client-root" : mount failed: exit status 32 Mounting command: systemd-run Mounting arguments: --description=Kubernetes transient mount for /var/lib/kubelet/pods/f5f99775-ed14-11e9-ae1b-00163e028400/volumes/kubernetes.io~nfs/nfs-client-root --scope -- mount -t nfs 172.21.9.3:/data/nfs-share /var/lib/kubelet/pods/f5f99775-ed14-11e9-ae1b-00163e028400/volumes/kubernetes.io~nfs/nfs-client-root Output: Running scope as unit run-17613.scope. mount.nfs: Connection timed out.`,
    families: ['nfs', 'kubelet'],
  },
  {
    url: 'https://github.com/rook/nfs/issues/34',
    line: r`MountVolume.SetUp failed for volume "pvc-22e54ab0-8980-4f54-a4b4-fe5f2940ad44" : mount failed: exit status 32 Mounting command: mount Mounting arguments: -t nfs 10.0.234.152:/nfs-default-claim/test-pvc-22e54ab0-8980-4f54-a4b4-fe5f2940ad44 /var/lib/kubelet/pods/fffe3c67-314e-46a5-8b89-15e18d9ac464/volumes/kubernetes.io~nfs/pvc-22e54ab0-8980-4f54-a4b4-fe5f2940ad44 Output: mount.nfs: Connection timed out`,
    families: ['nfs', 'kubelet'],
  },
  {
    url: 'https://github.com/nacos-group/nacos-k8s/issues/195',
    line: r`MountVolume.SetUp failed for volume "nfs-client-root" : mount failed: exit status 32 Mounting command: systemd-run Mounting arguments: --description=Kubernetes transient mount for /var/lib/kubelet/pods/3ef36947-5311-4f5c-8df3-eefdf19f0106/volumes/kubernetes.io~nfs/nfs-client-root --scope -- mount -t nfs 139.217.114.239:/data/nfs-share /var/lib/kubelet/pods/3ef36947-5311-4f5c-8df3-eefdf19f0106/volumes/kubernetes.io~nfs/nfs-client-root Output: Running scope as unit run-r0bd2a4eefcbd4c429f2ff7626ec90740.scope. mount.nfs: Connection timed out`,
    families: ['nfs', 'kubelet'],
  },
  {
    url: 'https://github.com/nfs-ganesha/nfs-ganesha/issues/399',
    line: r`Feb  6 22:19:49 ceph-2 kubelet: mount.nfs: Connection refused`,
    families: ['nfs'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/18749',
    line: r`  1m            14s             12      {kubelet 10.210.8.122}                                          FailedMount     Unable to mount volumes for pod "g-pj3pl_dev": exit status 32`,
    families: ['kubelet'],
  },
  {
    url: 'https://github.com/openebs-archive/dynamic-nfs-provisioner/issues/2',
    line: r`  Warning  FailedMount  69s    kubelet, worker-2  Unable to attach or mount volumes: unmounted volumes=[ms-volume], unattached volumes=[ms-volume default-token-f2g9z]: timed out waiting for the condition`,
    families: ['kubelet'],
  },
  // hung tasks
  {
    url: 'https://github.com/openzfs/zfs/issues/3997',
    line: r`[  479.971084] INFO: task nfsd:3780 blocked for more than 120 seconds.`,
    families: ['hung-task'],
  },
  {
    url: 'https://github.com/raspberrypi/linux/issues/2482',
    line: r`[ 3438.580109] INFO: task objcopy:24916 blocked for more than 120 seconds.`,
    families: ['hung-task'],
  },
  {
    url: 'https://github.com/openzfs/zfs/issues/1060',
    line: r`INFO: task nfsd:7576 blocked for more than 120 seconds.`,
    families: ['hung-task'],
  },
  // PLEG and NodeNotReady
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/77728',
    line: r`PLEG is not healthy: pleg was last seen active 3m3.928932625s ago; threshold is 3m0s`,
    families: ['node'],
  },
  {
    url: 'https://github.com/prabhatsharma/kubernetes-the-hard-way-aws/issues/12',
    line: r`Jan 31 15:46:40 ip-10-240-0-20 kubelet[3072]: I0131 15:46:40.357340    3072 kubelet_node_status.go:446] Recording NodeNotReady event message for node ip-10-240-0-20`,
    families: ['node'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/61117',
    line: r`Mar 13 16:02:43 vk-prod4-node-v18-w3fz kubelet[1450]: I0313 16:02:43.934473    1450 kubelet.go:1778] skipping pod synchronization - [PLEG is not healthy: pleg was last seen active 3m5.30015447s ago; threshold is 3m0s]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/aws-samples/eks-workshop-v2/issues/447',
    line: r`Apr 13 10:53:52 ip-10-42-10-121 kubelet: E0413 10:53:52.844381    3263 kubelet.go:2055] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 2h33m12.704970756s ago; threshold is 3m0s"`,
    families: ['node'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/45419',
    line: r`May 05 13:59:56 ip-10-50-20-208.ec2.internal kubelet[2858]: I0505 13:59:56.872908    2858 kubelet_node_status.go:682] Node became not ready: {Type:Ready Status:False LastHeartbeatTime:2017-05-05 13:59:56.872865742 +0000 UTC LastTransitionTime:2017-05-05 13:59:56.872865742 +0000 UTC Reason:KubeletNotReady Message:PLEG is not healthy: pleg was last seen active 3m7.629592089s ago; threshold is 3m0s}`,
    families: ['node'],
  },
  {
    url: 'https://github.com/nds-org/jupyter-et/issues/13',
    line: r`  Ready            False   Mon, 03 Jun 2019 13:54:18 +0000   Sun, 02 Jun 2019 21:39:37 +0000   KubeletNotReady              PLEG is not healthy: pleg was last seen active 16h17m50.791825508s ago; threshold is 3m0s`,
    families: ['node'],
  },
  // mount.nfs that could not resolve its server: DNS took down the NFS mount
  {
    url: 'https://github.com/kubernetes/examples/issues/390',
    line: r`mount.nfs: Failed to resolve server nfs-server.default.svc.cluster.local: Name or service not known`,
    families: ['dns', 'nfs'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/48212',
    line: r`Output: mount.nfs: Failed to resolve server <pod name>: Temporary failure in name resolution`,
    families: ['dns', 'nfs'],
  },
  {
    url: 'https://github.com/kubernetes-sigs/nfs-subdir-external-provisioner/issues/303',
    line: r`Output: mount.nfs: Failed to resolve server my.domain: Name or service not known`,
    families: ['dns', 'nfs'],
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/3417',
    line: r`MountVolume.SetUp failed for volume "nfs" : mount failed: exit status 32 Mounting command: mount Mounting arguments: -t nfs nfs-server.default.svc.cluster.local:/ /var/lib/kubelet/pods/5f4d4cce-ab59-44cb-9311-ef5fef696902/volumes/kubernetes.io~nfs/nfs Output: mount.nfs: Failed to resolve server nfs-server.default.svc.cluster.local: Name or service not known`,
    families: ['dns', 'nfs', 'kubelet'],
  },
  // NMI soft lockups (node alive, a CPU stuck) vs panics that take it down
  {
    url: 'https://github.com/sonic-net/sonic-buildimage/issues/17358',
    line: r`[ 5300.229390] watchdog: BUG: soft lockup - CPU#2 stuck for 23s! [kworker/2:1:25629]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/sonic-net/sonic-buildimage/issues/17358',
    line: r`[ 5300.237965] Kernel panic - not syncing: softlockup: hung tasks`,
    families: ['reboot'],
  },
  {
    url: 'https://github.com/Broadcom/sonic-VirtualSwitch/issues/2',
    line: r`[10304.603691] NMI watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [python3.6:22618]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/open-power/skiboot/issues/136',
    line: r`[   32.107804] NMI watchdog: BUG: soft lockup - CPU#113 stuck for 22s! [kopald:854]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/IRATI/stack/issues/396',
    line: r` kernel:[ 1044.858108] BUG: soft lockup - CPU#5 stuck for 23s! [modprobe:4176]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/madMAx43v3r/chia-plotter/issues/535',
    line: r` kernel:[405108.698255] watchdog: BUG: soft lockup - CPU#2 stuck for 22s! [chia_plot:29632]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/openrisc/linux/issues/12',
    line: r`/ # [90216.140000] watchdog: BUG: soft lockup - CPU#0 stuck for 186s! [kworker/u3:3:2073]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/systemd/systemd-centos-ci/issues/660',
    line: r`[  128.173121] Kernel panic - not syncing: softlockup: hung tasks`,
    families: ['reboot'],
  },
];
