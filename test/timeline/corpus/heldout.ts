/**
 * Held out: collected after the signatures were tuned on lines.ts/excerpts.ts, labelled before the first
 * run, and never tuned on. corpus.test.ts prints its score separately; misses here are findings for the
 * next round of signatures, not something to fix by editing the labels.
 */
import type { CorpusExcerpt, CorpusLine } from './types.ts';

const r = String.raw;

export const HELD_OUT_LINES: CorpusLine[] = [
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/6888',
    line: r`v2 ping attempt failed with error: Get https://gcr.io/v2/: dial tcp: lookup gcr.io: Temporary failure in name resolution`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/docker-archive-public/docker.kitematic/issues/1577',
    line: r`Error pulling image (latest) from docker.io/library/ubuntu-upstart, Failed to download json: Get https://registry-1.docker.io/v1/images/3c42a74804f79e44845044dad95183b4e4f73207b97f7cfb0fe9305b3c33d27a/json: dial tcp: lookup registry-1.docker.io on 8.8.8.8:53: no such host`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/kalabox/kalabox-app-pantheon/issues/44',
    line: r`info: DOCKER =>  message=Error while pulling image: Get https://index.docker.io/v1/repositories/kalabox/data/images: dial tcp: lookup index.docker.io: no such host, error=Error while pulling image: Get https://index.docker.io/v1/repositories/kalabox/data/images: dial tcp: lookup index.docker.io: no such host`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/docker/for-win/issues/6241',
    line: r`Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 192.168.65.1:53: no such host`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/openshift/cluster-dns-operator/pull/330',
    line: r`  Warning  Failed          3m14s                kubelet            Failed to pull image "image-registry.openshift-image-registry.svc:5000/openshift/tools:latest": rpc error: code = Unknown desc = pinging container registry image-registry.openshift-image-registry.svc:5000: Get "https://image-registry.openshift-image-registry.svc:5000/v2/": dial tcp: lookup image-registry.openshift-image-registry.svc on 223.5.5.5:53: read udp 10.253.25.6:33734->223.5.5.5:53: i/o timeout`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/6354',
    line: r`Jan 20 15:21:09 minikube kubelet[4443]: E0120 15:21:09.169086    4443 kuberuntime_manager.go:803] container start failed: ErrImagePull: rpc error: code = Unknown desc = Error response from daemon: Get https://my-registry.foo.bar/v2/: dial tcp: lookup my-registry.foo.bar on 192.168.64.1:53: no such host`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/6354',
    line: r`Jan 20 15:21:09 minikube kubelet[4443]: E0120 15:21:09.169162    4443 pod_workers.go:191] Error syncing pod 25a0ba8b-5d19-4d62-bcc5-5661bde6ef18 ("private-image-test-1_default(25a0ba8b-5d19-4d62-bcc5-5661bde6ef18)"), skipping: failed to "StartContainer" for "uses-private-image" with ErrImagePull: "rpc error: code = Unknown desc = Error response from daemon: Get https://my-registry.foo.bar/v2/: dial tcp: lookup my-registry.foo.bar on 192.168.64.1:53: no such host"`,
    families: ['dns', 'kubelet'],
  },
  {
    url: 'https://github.com/k0sproject/k0s/issues/5478',
    line: r`Jan 25 19:34:57 worker0.home.lab k0s-v1.30.5+k0s.0-amd64[818854]: time="2025-01-25 19:34:57" level=info msg="time=\"2025-01-25T19:34:57.415825726Z\" level=info msg=\"trying next host\" error=\"failed to do request: Head \\\"https://docker.io/v2/nginxinc/nginx-unprivileged/manifests/v1.25.1\\\": dial tcp: lookup docker.io on 172.16.0.4:53: server misbehaving\" host=docker.io" component=containerd stream=stderr`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/21470',
    line: r`level=fatal msg="Error while creating daemon" error="error while initializing daemon: failed while reinitializing datapath: Command execution failed for [/var/lib/cilium/bpf/init.sh /var/lib/cilium/bpf /var/run/cilium/state /host/proc/sys/net /sys/class/net 10.2.5.63 <nil> tunnel vxlan 8472 eth0 cilium_host cilium_net 1500 true true true /run/cilium/cgroupv2 /sys/fs/bpf true true v3 2 false true 1]: context canceled" subsys=daemon`,
    families: ['cni'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/21470',
    line: r`level=error msg="Command execution failed" cmd="[/var/lib/cilium/bpf/init.sh /var/lib/cilium/bpf /var/run/cilium/state /host/proc/sys/net /sys/class/net 10.2.5.63 <nil> tunnel vxlan 8472 eth0 cilium_host cilium_net 1500 true true true /run/cilium/cgroupv2 /sys/fs/bpf true true v3 2 false true 1]" error="signal: killed" subsys=datapath-loader`,
    families: ['cni'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/4242',
    line: r`2018-05-23T23:52:47.144969391Z level=fatal msg="Cilium endpoint failed to run" error="stat /var/run/cilium/state/health-endpoint.pid: no such file or directory"`,
    families: ['cni'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/4242',
    line: r`2018-05-23T23:52:47.172713915Z level=fatal msg="Agent pipe unexpectedly closed, shutting down"`,
    families: ['cni'],
  },
  {
    url: 'https://github.com/kubernetes-csi/csi-driver-smb/issues/419',
    line: r`  Warning  Failed                  33s                    kubelet                  Error: failed to generate container "b3835a07f1927d8b1600b914aabfc5c65169c6c1ef23a4e06d87aeb5f2b70a75" spec: failed to apply OCI options: failed to stat "/var/lib/kubelet/pods/a70b4271-ce52-4b99-93d3-27c2a2a5720e/volumes/kubernetes.io~csi/pvc-a7eb6f61-4806-49e8-843e-2ea463c057ce/mount": stat /var/lib/kubelet/pods/a70b4271-ce52-4b99-93d3-27c2a2a5720e/volumes/kubernetes.io~csi/pvc-a7eb6f61-4806-49e8-843e-2ea463c057ce/mount: stale NFS file handle`,
    families: ['nfs', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/90593',
    line: r`[11859608.510084] nfs: server 10.36.3.5 not responding, still trying`,
    families: ['nfs'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/71584',
    line: r`Error: "error cleaning subPath mounts for volume \"nfs-content\": error reading /var/lib/kubelet/pods/redacted/volume-subpaths/nfs-content/redacted: lstat /var/lib/kubelet/pods/redacted/volume-subpaths/nfs-content/redacted/2: stale NFS file handle"`,
    families: ['nfs', 'kubelet'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/75918',
    line: r`[184074.486065] nfs: server nfs.vds-solr.svc.cluster.local not responding, timed out`,
    families: ['nfs'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/75918',
    line: r`[184081.319496] NFS: server nfs.vds-solr.svc.cluster.local error: fileid changed`,
    families: ['nfs'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/75918',
    line: r`ls: cannot access '/home/kubernetes/containerized_mounter/rootfs/var/lib/kubelet/pods/49f22ce7-52f1-11e9-a541-42010aa40179/volumes/kubernetes.io~nfs/vds-solr-backups': Stale file handle`,
    families: ['nfs'],
  },
  {
    url: 'https://github.com/kubernetes-sigs/nfs-ganesha-server-and-external-provisioner/issues/142',
    line: r`-bash: cd: /mounted: Stale file handle`,
    families: ['nfs'],
  },
  {
    url: 'https://github.com/openzfs/zfs/issues/4536',
    line: r`NMI watchdog: BUG: soft lockup - CPU#2 stuck for 22s! [SimpleCacheWork:8140]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/multipath-tcp/mptcp/issues/99',
    line: r`[2870707.887079] BUG: soft lockup - CPU#10 stuck for 23s! [migration/10:346]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/imq/linuximq/pull/8',
    line: r`[  520.451222] NMI watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [sshd:2645]`,
    families: ['node'],
  },
  {
    url: 'https://github.com/Broadcom/sonic-VirtualSwitch/issues/2',
    line: r`[10304.611065] Kernel panic - not syncing: softlockup: hung tasks`,
    families: ['reboot'],
  },
  {
    url: 'https://github.com/cilium/cilium/issues/40312',
    line: r`(combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "0b2f8521e66ae74da6ed86fdb778d9558b0114967e52d73ff3285466b0846e1e": plugin type="cilium-cni" failed (add): unable to connect to Cilium agent: failed to create cilium agent client after 30.000000 seconds timeout: Get "http://localhost/v1/config": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory Is the agent running?`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/flannel-io/flannel/issues/2232',
    line: r`  Warning  FailedCreatePodSandBox  3m15s (x17 over 6m45s)  kubelet            (combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "c981dd6fab7e72250f444f4e41aaa1d9761c0be4f5e493b6a3dccc326c952ff3": plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory`,
    families: ['cni', 'kubelet'],
  },
  {
    url: 'https://github.com/coreos/bugs/issues/2093',
    line: r`network: open /run/flannel/subnet.env: no such file or directory`,
    families: ['cni'],
  },
  {
    url: 'https://github.com/systemd/systemd/issues/11849',
    line: r`Feb 27 14:52:26 ubuntu-disco systemd-resolved[2063]: Transaction 27331 for <labx.local IN A> on scope dns on eth0/* now complete with <success> from network (unsigned).`,
    families: [],
  },
  {
    url: 'https://github.com/systemd/systemd/issues/30577',
    line: r`Dec 16 21:10:40 PC001 systemd-resolved[95914]: Using degraded feature set UDP+EDNS0 instead of TLS+EDNS0 for DNS server fddd:cc66:fdd6:aa06:82fa:fdec:38eb:fb8.`,
    families: ['dns'],
  },
  {
    url: 'https://github.com/kubeflow/testing/issues/346',
    line: r`Output: mount.nfs: Connection timed out`,
    families: ['nfs'],
  },
  {
    url: 'https://github.com/kubeflow/testing/issues/346',
    line: r`  Warning  FailedMount  40s (x2 over 2m)  kubelet, gke-kubeflow-testing-default-pool-90dc0402-4z32  Unable to mount volumes for pod "debug-worker-0_kubeflow-test-infra(5264288b-5328-11e9-ad34-42010af001d5)": timeout expired waiting for volumes to attach/mount for pod "kubeflow-test-infra"/"debug-worker-0". list of unattached/unmounted volumes=[nfs-external]`,
    families: ['kubelet'],
  },
  {
    url: 'https://github.com/2i2c-org/infrastructure/pull/3141',
    line: r`Output: mount.nfs: Failed to resolve server nfs-server-01: Name or service not known`,
    families: ['dns', 'nfs'],
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/70202',
    line: r`NetworkPlugin cni failed to set up pod "coredns-576cbf47c7-4xkqz_kube-system" network: open /run/flannel/subnet.env: no such file or directory`,
    families: ['cni', 'kubelet'],
  },
];

export const HELD_OUT_EXCERPTS: CorpusExcerpt[] = [
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/75918',
    text: r`[184074.486065] nfs: server nfs.vds-solr.svc.cluster.local not responding, timed out
[184077.109838] nfs: server nfs.vds-solr.svc.cluster.local not responding, timed out
[184081.319496] NFS: server nfs.vds-solr.svc.cluster.local error: fileid changed
                fsid 0:86: expected fileid 0xe13cc, got 0xe13a9
[184081.332603] NFS: server nfs.vds-solr.svc.cluster.local error: fileid changed
                fsid 0:86: expected fileid 0xe13cc, got 0xe13a9`,
    families: ['nfs'],
    first: { nfs: 1 },
    chain: '',
  },
  {
    url: 'https://github.com/kubernetes/minikube/issues/6354',
    year: 2020,
    text: r`Jan 20 15:21:09 minikube kubelet[4443]: E0120 15:21:09.169086    4443 kuberuntime_manager.go:803] container start failed: ErrImagePull: rpc error: code = Unknown desc = Error response from daemon: Get https://my-registry.foo.bar/v2/: dial tcp: lookup my-registry.foo.bar on 192.168.64.1:53: no such host
Jan 20 15:21:09 minikube kubelet[4443]: E0120 15:21:09.169162    4443 pod_workers.go:191] Error syncing pod 25a0ba8b-5d19-4d62-bcc5-5661bde6ef18 ("private-image-test-1_default(25a0ba8b-5d19-4d62-bcc5-5661bde6ef18)"), skipping: failed to "StartContainer" for "uses-private-image" with ErrImagePull: "rpc error: code = Unknown desc = Error response from daemon: Get https://my-registry.foo.bar/v2/: dial tcp: lookup my-registry.foo.bar on 192.168.64.1:53: no such host"
Jan 20 15:21:09 minikube kubelet[4443]: W0120 15:21:09.465129    4443 docker_sandbox.go:394] failed to read pod IP from plugin/docker: Couldn't find network status for default/private-image-test-1 through plugin: invalid network status for`,
    families: ['dns', 'kubelet'],
    first: { dns: 1, kubelet: 1 },
    chain: 'DNS → pods',
  },
  {
    url: 'https://github.com/cilium/cilium/issues/21470',
    text: r`level=error msg="Command execution failed" cmd="[/var/lib/cilium/bpf/init.sh /var/lib/cilium/bpf /var/run/cilium/state /host/proc/sys/net /sys/class/net 10.2.5.63 <nil> tunnel vxlan 8472 eth0 cilium_host cilium_net 1500 true true true /run/cilium/cgroupv2 /sys/fs/bpf true true v3 2 false true 1]" error="signal: killed" subsys=datapath-loader
level=fatal msg="Error while creating daemon" error="error while initializing daemon: failed while reinitializing datapath: Command execution failed for [/var/lib/cilium/bpf/init.sh /var/lib/cilium/bpf /var/run/cilium/state /host/proc/sys/net /sys/class/net 10.2.5.63 <nil> tunnel vxlan 8472 eth0 cilium_host cilium_net 1500 true true true /run/cilium/cgroupv2 /sys/fs/bpf true true v3 2 false true 1]: context canceled" subsys=daemon`,
    families: ['cni'],
    first: { cni: 1 },
    chain: '',
  },
  {
    url: 'https://github.com/openshift/cluster-dns-operator/pull/330',
    text: r`  Warning  Failed          3m14s                kubelet            Failed to pull image "image-registry.openshift-image-registry.svc:5000/openshift/tools:latest": rpc error: code = Unknown desc = pinging container registry image-registry.openshift-image-registry.svc:5000: Get "https://image-registry.openshift-image-registry.svc:5000/v2/": dial tcp: lookup image-registry.openshift-image-registry.svc on 223.5.5.5:53: read udp 10.253.25.6:33734->223.5.5.5:53: i/o timeout
  Warning  Failed          2m7s                 kubelet            Failed to pull image "image-registry.openshift-image-registry.svc:5000/openshift/tools:latest": rpc error: code = Unknown desc = pinging container registry image-registry.openshift-image-registry.svc:5000: Get "https://image-registry.openshift-image-registry.svc:5000/v2/": dial tcp: lookup image-registry.openshift-image-registry.svc on 223.5.5.5:53: read udp 10.253.25.6:46779->223.5.5.5:53: i/o timeout
  Normal   Pulling         78s (x4 over 4m51s)  kubelet            Pulling image "image-registry.openshift-image-registry.svc:5000/openshift/tools:latest"
  Warning  Failed          36s (x4 over 4m9s)   kubelet            Error: ErrImagePull`,
    families: ['dns', 'kubelet'],
    first: { dns: 1, kubelet: 1 },
    chain: 'DNS → pods',
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/90593',
    text: r`[11859608.510084] nfs: server 10.36.3.5 not responding, still trying
[11860426.154179] nfs: server 10.36.3.5 not responding, still trying
[11860432.298016] nfs: server 10.36.3.5 not responding, still trying`,
    families: ['nfs'],
    first: { nfs: 1 },
    chain: '',
  },
  {
    url: 'https://github.com/Broadcom/sonic-VirtualSwitch/issues/2',
    text: r`sonic login: [10304.603691] NMI watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [python3.6:22618]
[10304.611065] Kernel panic - not syncing: softlockup: hung tasks
[10304.615628] CPU: 1 PID: 22618 Comm: python3.6 Tainted: G             L  4.9.0-11-2-amd64 #1 Debian 4.9.189-3`,
    families: ['node', 'reboot'],
    first: { node: 1, reboot: 2 },
    chain: 'node → reboot',
  },
  {
    url: 'https://github.com/kubernetes/kubernetes/issues/6888',
    text: r`  16m		1m		6	{kubelet 192.168.64.2}	spec.containers{spark-master}	Warning		Failed		Failed to pull image "gcr.io/google_containers/spark:1.5.2_v1": image pull failed for gcr.io/google_containers/spark:1.5.2_v1, this may be because there are no credentials on this request.  details: (API error (500): unable to ping registry endpoint https://gcr.io/v0/
v2 ping attempt failed with error: Get https://gcr.io/v2/: dial tcp: lookup gcr.io: Temporary failure in name resolution
 v1 ping attempt failed with error: Get https://gcr.io/v1/_ping: dial tcp: lookup gcr.io: Temporary failure in name resolution
)`,
    families: ['dns', 'kubelet'],
    first: { dns: 1, kubelet: 1 },
    chain: 'DNS → pods',
  },
];
