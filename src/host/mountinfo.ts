/**
 * /proc/<pid>/mountinfo (proc(5)): the parser, a bounded reader, and the per-round cache the agent's
 * probes share. procfs generates the file without asking any NFS server anything, so reading it never
 * blocks on a hung mount; the audit reads the same format from --node-root.
 */
import { join } from 'node:path';
import { readBounded } from './read.ts';

export interface MountInfoEntry {
  /** 1-based line in the file. */
  line: number;
  mountId: number;
  parentId: number;
  majorMinor: string;
  root: string;
  mountPoint: string;
  mountOptions: string;
  fsType: string;
  /** e.g. "truenas.home.lex.la:/mnt/pool/k8s" for NFS, "bindfs" for FUSE. */
  source: string;
  superOptions: string;
}

/** mountinfo escapes space, tab, newline and backslash as \040 \011 \012 \134. */
export function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

export interface MountInfoParse {
  entries: MountInfoEntry[];
  errors: { line: number; message: string }[];
}

export function parseMountInfo(text: string): MountInfoParse {
  const entries: MountInfoEntry[] = [];
  const errors: { line: number; message: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw === undefined || raw.trim() === '') continue;
    const fields = raw.split(' ');
    const sep = fields.indexOf('-', 6);
    if (fields.length < 10 || sep === -1 || fields.length < sep + 4) {
      errors.push({
        line: i + 1,
        message: 'not a mountinfo line (expected "... - fstype source superoptions")',
      });
      continue;
    }
    const [mountId, parentId, majorMinor, root, mountPoint, mountOptions] = fields;
    entries.push({
      line: i + 1,
      mountId: Number(mountId),
      parentId: Number(parentId),
      majorMinor: majorMinor ?? '',
      root: unescapeMountField(root ?? ''),
      mountPoint: unescapeMountField(mountPoint ?? ''),
      mountOptions: mountOptions ?? '',
      fsType: fields[sep + 1] ?? '',
      source: unescapeMountField(fields[sep + 2] ?? ''),
      superOptions: fields[sep + 3] ?? '',
    });
  }
  return { entries, errors };
}

export function isNfsType(fsType: string): boolean {
  return fsType === 'nfs' || fsType === 'nfs4';
}

/** Network and FUSE filesystems: the mounts whose syscalls can hang on something outside the node. */
export function isHangProneType(fsType: string): boolean {
  return (
    isNfsType(fsType) ||
    fsType === 'cifs' ||
    fsType === 'smb3' ||
    fsType === 'ceph' ||
    fsType === 'glusterfs' ||
    fsType === '9p' ||
    fsType === 'fuse' ||
    fsType.startsWith('fuse.')
  );
}

/**
 * Split an NFS mount source or fstab spec, "server:/export", into its parts. IPv6 servers come in
 * brackets ("[fd00::1]:/x") and are returned without them; an empty export ("nas:") is the root.
 */
export function splitNfsSource(source: string): { server: string; export: string } | undefined {
  const m = /^(\[[^\]]+\]|[^:]+):(\/.*)?$/.exec(source.trim());
  if (!m) return undefined;
  return { server: m[1]!.replace(/^\[(.*)\]$/, '$1'), export: m[2] ?? '/' };
}

/** 4 MiB holds ~20 000 mount lines: more than any node; beyond it the tail is dropped, not buffered. */
export const MAX_MOUNTINFO_BYTES = 4 * 1024 * 1024;

export type MountTable = MountInfoParse & { file: string };

/** `pid`: "self" (the agent's mount namespace) or "1" (the host's, when running with hostPID). */
export async function readMountInfo(proc: string, pid = 'self'): Promise<MountTable> {
  const file = join(proc, pid, 'mountinfo');
  const text = await readBounded(file, MAX_MOUNTINFO_BYTES);
  if (text === undefined) throw new Error(`${file}: not found`);
  return { ...parseMountInfo(text), file };
}

/**
 * One read and parse of a mount table per round, shared by every probe that needs it (dstate, mounts,
 * nfs): callers within `maxAgeMs` of a read — the probes a scheduler tick starts together — get the
 * same promise. A failed read is not kept, so the next caller tries again.
 */
export class MountInfoCache {
  readonly #cache = new Map<string, { at: number; table: Promise<MountTable> }>();
  /** Reads actually made (tests and the footprint bench check the sharing). */
  reads = 0;

  constructor(
    readonly proc: string,
    readonly maxAgeMs = 1000,
    readonly now: () => number = () => performance.now(),
  ) {}

  read(pid = 'self'): Promise<MountTable> {
    const hit = this.#cache.get(pid);
    if (hit && this.now() - hit.at < this.maxAgeMs) return hit.table;
    this.reads++;
    const table = readMountInfo(this.proc, pid);
    this.#cache.set(pid, { at: this.now(), table });
    table.catch(() => {
      if (this.#cache.get(pid)?.table === table) this.#cache.delete(pid);
    });
    return table;
  }
}
