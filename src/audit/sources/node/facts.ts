/**
 * Node configuration facts read under --node-root. Every value keeps where it was read
 * (path as seen on the node, e.g. /etc/fstab, and line) so node findings point at `file:line`.
 * The node source readers fill this in; NFS rules read fstab/mounts/nfsmountConf, DNS and watchdog
 * rules read the rest.
 */
import type { SourceLocation } from '../../../core/location.ts';
import type { MountInfoEntry } from '../../../host/mountinfo.ts';
import type { ConfOption } from '../../../nfs/nfsmount-conf.ts';

export interface FstabEntry {
  spec: string;
  mountPoint: string;
  fsType: string;
  /** The options field exactly as written ("defaults" when empty). */
  options: string;
  location: SourceLocation;
}

/** One /etc/nfsmount.conf line as a mount option, with its section (src/nfs/nfsmount-conf.ts). */
export type NfsMountConfDefault = ConfOption;

export interface NodeFacts {
  /** The root directory that was read (e.g. "/" on a node, a fixture dir in tests). */
  root: string;
  /** /etc/fstab, when present. */
  fstab: FstabEntry[] | undefined;
  /** Mounts live on the node (/proc/self/mountinfo), when present; `location` per entry. */
  mounts: (MountInfoEntry & { location: SourceLocation })[] | undefined;
  /**
   * /etc/nfsmount.conf (+ nfsmount.conf.d) options of every section, translated: they apply to mounts the
   * node's mount.nfs makes (inline pod volumes, in-tree PVs, fstab) — Global to all, Server/MountPoint
   * sections to matching mounts (confOptionsFor).
   */
  nfsmountConf: NfsMountConfDefault[] | undefined;
  // Added by the node readers; optional so facts built by hand in tests stay valid.
  // Each is undefined when its files are absent under the root.
  resolved?: ResolvedConfig | undefined;
  /** /etc/resolv.conf first, then /run/systemd/resolve/resolv.conf when present. */
  resolvConfs?: ResolvConf[] | undefined;
  watchdog?: WatchdogConf | undefined;
  /** e.g. "kernel.hung_task_panic" → effective value. */
  sysctls?: Record<string, SysctlValue> | undefined;
  kubelet?: KubeletConf | undefined;
  /** systemd RuntimeWatchdogSec= from system.conf (+ drop-ins), when set to a non-zero value. */
  runtimeWatchdogSec?: Located<string> | undefined;
}

/** One value from a config file, with where it was set. */
export interface Located<T> {
  value: T;
  location: SourceLocation;
}

/** systemd-resolved after resolved.conf and its drop-ins are merged (resolved.conf(5)). */
export interface ResolvedConfig {
  /** DNS= servers; empty when unset or reset. `location` is the assignment that produced the list. */
  dns: Located<string[]> | undefined;
  fallbackDns: Located<string[]> | undefined;
  /** Files read, in the order applied. */
  files: string[];
}

export interface ResolvConf {
  /** Path as seen on the node: /etc/resolv.conf or /run/systemd/resolve/resolv.conf. */
  path: string;
  /** When /etc/resolv.conf is a symlink, where it points (e.g. /run/systemd/resolve/stub-resolv.conf). */
  target: string | undefined;
  nameservers: Located<string>[];
  /** `options timeout:N` / `attempts:N` / `rotate`, last one wins as in glibc. */
  timeout: Located<number> | undefined;
  attempts: Located<number> | undefined;
  rotate: Located<boolean> | undefined;
}

/** watchdog.conf(5) keys the rules need. */
export interface WatchdogConf {
  path: string;
  device: Located<string> | undefined;
  timeout: Located<number> | undefined;
  interval: Located<number> | undefined;
  maxLoad1: Located<number> | undefined;
  testBinary: Located<string> | undefined;
  testTimeout: Located<number> | undefined;
  repairBinary: Located<string> | undefined;
}

/** Effective kernel sysctl: the live /proc/sys value wins over config files (they apply at boot). */
export interface SysctlValue extends Located<string> {
  source: 'proc' | 'conf';
}

export interface KubeletConf {
  path: string;
  /** `resolvConf` as set; undefined means the kubelet default /etc/resolv.conf. */
  resolvConf: Located<string> | undefined;
}
