import { defineFamily } from './types.ts';

export const NODE = defineFamily('node', [
  {
    id: 'node.not-ready',
    layer: 'node',
    severity: 'critical',
    needles: ['NotReady', 'not ready'],
    pattern:
      /(?:Node (?<node>\S+) status is now: NodeNotReady|NodeNotReady|"Node became not ready" node="(?<nodeName>[^"]+)")/,
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
    layer: 'node',
    severity: 'info',
    needles: ['NodeReady'],
    pattern: /Node (?<node>\S+) status is now: NodeReady\b/,
    summary: 'node {node} Ready again',
    examples: ['Node k8s-cp-01 status is now: NodeReady'],
    nearMisses: ['Node k8s-cp-01 status is now: NodeNotReady'],
  },
]);
