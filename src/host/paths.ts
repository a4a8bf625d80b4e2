/**
 * Where the node's kernel and config files are, injectable so every reader runs against a fake root
 * in tests (node_exporter's --path.procfs / --path.sysfs / --path.rootfs). The agent reads
 * <proc>, <sys>, <etc>, <run> and the kmsg device; the audit reads a whole --node-root through RootFs.
 */
import { join } from 'node:path';

export interface HostPaths {
  proc: string;
  sys: string;
  etc: string;
  run: string;
  kmsg: string;
}

export const DEFAULT_HOST_PATHS: HostPaths = {
  proc: '/proc',
  sys: '/sys',
  etc: '/etc',
  run: '/run',
  kmsg: '/dev/kmsg',
};

/** The paths of a node whose root filesystem is mounted at `root` (a fixture tree in tests). */
export function hostPathsUnder(root: string): HostPaths {
  return {
    proc: join(root, 'proc'),
    sys: join(root, 'sys'),
    etc: join(root, 'etc'),
    run: join(root, 'run'),
    kmsg: join(root, 'dev', 'kmsg'),
  };
}
