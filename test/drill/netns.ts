/**
 * Run a node:test file inside a network namespace the test creates (`fl-drill-<pid>-<n>`), with its own
 * mount namespace: everything the drill touches (nftables ruleset, loopback, rpcbind's /run, the
 * resolv.conf bind mount, FUSE mounts) exists only there and vanishes with it.
 */
import { spawnSync } from 'node:child_process';
import { requireExecutable } from '../helpers/lab.ts';

export const NETNS_ENV = 'FL_DRILL_NETNS';

export function insideNetns(): boolean {
  return process.env[NETNS_ENV] !== undefined;
}

/** The outer node:test run marks its children (NODE_TEST_CONTEXT); the inner run must be a top-level one. */
function childEnv(name: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, [NETNS_ENV]: name };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Runs `file` with node --test inside a fresh namespace; returns its exit status and output. */
export function runInNetns(file: string, timeoutMs: number): { status: number | null; output: string } {
  const ip = requireExecutable('ip', 'iproute2');
  const unshare = requireExecutable('unshare', 'util-linux');
  requireExecutable('nft', 'nftables');
  const name = `fl-drill-${process.pid}-${Date.now() % 100000}`;
  const add = spawnSync(ip, ['netns', 'add', name], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`ip netns add ${name} failed (root needed): ${add.stderr}`);
  try {
    const r = spawnSync(
      ip,
      [
        'netns',
        'exec',
        name,
        unshare,
        '-m',
        '--propagation',
        'private',
        process.execPath,
        '--import',
        'tsx',
        '--test-reporter=spec',
        // Run directly, not with --test: a nested --test run refuses to start ("called recursively").
        file,
      ],
      {
        encoding: 'utf8',
        timeout: timeoutMs,
        env: childEnv(name),
        maxBuffer: 64 << 20,
      },
    );
    return { status: r.status, output: `${r.stdout}\n${r.stderr}${r.error ? `\n${r.error.message}` : ''}` };
  } finally {
    spawnSync(ip, ['netns', 'del', name]);
  }
}
