/** DNS-004: kubelet hands pods the systemd-resolved stub (127.0.0.53), which is unreachable from pods. */
import { defineRule } from '../../rule.ts';
import { KUBELET_DEFAULT_RESOLV_CONF } from '../../sources/node/kubelet.ts';
import { isStubOnly, RESOLVED_STUB } from '../../sources/node/resolv-conf.ts';
import type { RuleExamples } from '../manifest/support.ts';
import { nodeFile, REF } from './support.ts';

export const rule = defineRule({
  meta: {
    id: 'kubelet-resolv-conf-stub',
    severity: 'high',
    title: 'kubelet resolvConf points at the systemd-resolved stub 127.0.0.53',
    description:
      "kubelet copies the upstream nameservers for pods (and CoreDNS's `forward . /etc/resolv.conf`) from its " +
      '`resolvConf` file, /etc/resolv.conf by default. On systemd-resolved hosts that file lists only the stub ' +
      '127.0.0.53, a loopback address that means the pod itself: CoreDNS forwards to itself and loops (the loop ' +
      'plugin then crashes it), and host-network pods lose DNS whenever resolved stalls. Kubernetes documents ' +
      'the fix: point kubelet at /run/systemd/resolve/resolv.conf, which lists the real upstreams.',
    fix: 'Set `resolvConf: /run/systemd/resolve/resolv.conf` in the KubeletConfiguration (or --resolv-conf) and restart kubelet.',
    inputs: ['/var/lib/kubelet/config.yaml', '/etc/resolv.conf'],
    references: [REF.k8sDns],
  },
  check({ inventory, report }) {
    const node = inventory.node;
    const kubelet = node?.kubelet;
    if (!node || !kubelet) return;
    const path = kubelet.resolvConf?.value ?? KUBELET_DEFAULT_RESOLV_CONF;
    const rc = node.resolvConfs?.find((r) => r.path === path);
    if (!rc || !isStubOnly(rc)) return;
    const location = kubelet.resolvConf?.location ?? { file: kubelet.path };
    report({
      message:
        `kubelet uses ${path}${kubelet.resolvConf ? '' : ' (default: resolvConf is not set)'}, which lists only the ` +
        `systemd-resolved stub ${RESOLVED_STUB}${rc.target ? ` (symlink to ${rc.target})` : ''}: pods and CoreDNS ` +
        'get a nameserver that is their own loopback.',
      location,
      object: nodeFile(kubelet.path),
      evidence: {
        resolvConf: path,
        nameservers: rc.nameservers.map((n) => n.value),
        symlinkTarget: rc.target ?? null,
      },
    });
  },
});

/** Documented examples (docs/rules); the rule's test runs them. */
export const examples: RuleExamples = {
  language: 'yaml',
  file: '/var/lib/kubelet/config.yaml',
  bad: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nresolvConf: /etc/resolv.conf # the systemd-resolved stub, 127.0.0.53\n',
  good: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nresolvConf: /run/systemd/resolve/resolv.conf\n',
};
