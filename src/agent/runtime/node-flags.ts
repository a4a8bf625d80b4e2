/**
 * Node/V8 flags the agent is meant to run with (issue 10 §4, measured by bench/agent-footprint.bench.ts).
 * Every flag here is allowed in NODE_OPTIONS, which is how the DaemonSet passes them.
 */
export const NODE_FLAGS = '--max-semi-space-size=1 --v8-pool-size=1';
