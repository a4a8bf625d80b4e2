/**
 * Node/V8 flags the agent's image runs it with (issue 10 §4; bench/agent-footprint.bench.ts compares
 * them with plain `node` and node_exporter in one run). An idle agent runs a few small functions every
 * few seconds: TurboFan's optimized code and a parallel GC buy it nothing but memory.
 *   --lite-mode           no optimizing compiler, smaller code and feedback caches
 *   --single-threaded-gc  no GC helper threads (and their stacks)
 * Neither is allowed in NODE_OPTIONS: they belong on the command line (the image's entrypoint:
 * `node $NODE_FLAGS dist/src/cli/bin.js agent …`).
 */
export const NODE_FLAGS = '--lite-mode --single-threaded-gc';
