import { defineFamily } from './types.ts';

export const NODE = defineFamily('node', [
  {
    id: 'node.not-ready',
    severity: 'critical',
    needles: ['NotReady', 'not ready'],
    pattern:
      /(?:Node (?<node>\S+) status is now: NodeNotReady|NodeNotReady|"Node became not ready" node="(?<nodeName>[^"]+)"|Node became not ready: \{Type:Ready Status:False)/,
    fields: (g, message) => {
      const node = g.node ?? g.nodeName ?? /\bnode[=: ]+"?(?<n>[\w.-]+)/i.exec(message)?.groups?.n;
      return node ? { node } : {};
    },
    summary: 'node {node} NotReady',
    examples: [
      'Node k8s-cp-01 status is now: NodeNotReady',
      'I1114 03:04:10.000413    1224 setters.go:602] "Node became not ready" node="k8s-cp-01" condition={"type":"Ready","status":"False","reason":"KubeletNotReady"}',
      'NodeNotReady: Node k8s-cp-01 status is now: NodeNotReady',
      'I0303 10:17:02.000413    2211 setters.go:602] "Node became not ready" node="worker-2" condition={"type":"Ready","status":"False","reason":"KubeletNotReady","message":"PLEG is not healthy: pleg was last seen active 3m3.115s ago; threshold is 3m0s"}',
    ],
    nearMisses: ['Node k8s-cp-01 status is now: NodeReady', 'container runtime is not ready yet'],
  },
  {
    id: 'node.ready',
    severity: 'info',
    needles: ['NodeReady'],
    pattern: /Node (?<node>\S+) status is now: NodeReady\b/,
    summary: 'node {node} Ready again',
    examples: ['Node k8s-cp-01 status is now: NodeReady'],
    nearMisses: ['Node k8s-cp-01 status is now: NodeNotReady'],
  },
  {
    id: 'node.pleg-unhealthy',
    severity: 'high',
    needles: ['PLEG'],
    pattern: /PLEG is not healthy: pleg (?:was last seen active (?<ago>\S+) ago|has yet to be successful)/,
    // The node-status line that quotes PLEG as its reason is the NotReady transition (node family).
    unless: /Node became not ready|NodeNotReady/,
    summary: 'kubelet PLEG not healthy (last seen active: {ago|never})',
    examples: [
      'Skipping pod synchronization - PLEG is not healthy: pleg was last seen active 3m0.527s ago; threshold is 3m0s',
      '"Skipping pod synchronization" err="PLEG is not healthy: pleg has yet to be successful"',
    ],
    nearMisses: [
      'PLEG: Ignoring events for pod loki-0/monitoring',
      '"Node became not ready" node="worker-2" condition={"type":"Ready","status":"False","reason":"KubeletNotReady","message":"PLEG is not healthy: pleg was last seen active 3m3.115s ago; threshold is 3m0s"}',
    ],
  },
  {
    id: 'node.soft-lockup',
    severity: 'critical',
    // An NMI watchdog report: a CPU stuck in the kernel, the node alive. Not a reboot (reboot.watchdog is).
    needles: ['soft lockup', 'hard LOCKUP'],
    pattern:
      /BUG: soft lockup - CPU#(?<cpu>\d+) stuck for (?<seconds>\d+)s! \[(?<task>.+):(?<pid>\d+)\]|Watchdog detected hard LOCKUP on cpu (?<hardCpu>\d+)/,
    fields: (g) => {
      if (g.hardCpu) return { cpu: g.hardCpu, kind: 'hard lockup' };
      return {
        cpu: g.cpu ?? '',
        seconds: g.seconds ?? '',
        task: g.task ?? '',
        pid: g.pid ?? '',
        kind: 'soft lockup',
      };
    },
    summary: 'CPU {cpu} {kind}',
    examples: [
      'watchdog: BUG: soft lockup - CPU#3 stuck for 23s! [loki:25860]',
      'Watchdog detected hard LOCKUP on cpu 2',
    ],
    nearMisses: ['watchdog: watchdog0: watchdog did not stop!'],
  },
]);
