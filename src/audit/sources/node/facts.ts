/**
 * Node configuration facts read under --node-root. Every value keeps where it was read
 * (path as seen on the node, e.g. /etc/fstab, and line) so node findings point at `file:line`.
 * The node source readers fill this in; NFS rules read fstab/mounts/nfsmountConf, DNS and watchdog
 * rules read the rest.
 */
import type { SourceLocation } from '../../../core/location.ts';
import type { MountInfoEntry } from '../../../host/mountinfo.ts';

export interface FstabEntry {
  spec: string;
  mountPoint: string;
  fsType: string;
  /** The options field exactly as written ("defaults" when empty). */
  options: string;
  location: SourceLocation;
}

export interface NfsMountConfDefault {
  /** e.g. "soft", "timeo=100"; from the [ NFSMount_Global_Options ] section. */
  option: string;
  location: SourceLocation;
}

export interface NodeFacts {
  /** The root directory that was read (e.g. "/" on a node, a fixture dir in tests). */
  root: string;
  /** /etc/fstab, when present. */
  fstab: FstabEntry[] | undefined;
  /** Mounts live on the node (/proc/self/mountinfo), when present; `location` per entry. */
  mounts: (MountInfoEntry & { location: SourceLocation })[] | undefined;
  /** Global defaults from /etc/nfsmount.conf: they apply to inline pod NFS volumes and fstab entries. */
  nfsmountConf: NfsMountConfDefault[] | undefined;
}
