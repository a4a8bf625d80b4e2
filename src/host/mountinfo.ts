/**
 * Parse /proc/self/mountinfo (proc(5)). Pure: callers read the file (the agent reads it from /proc,
 * which never blocks on a hung mount; the audit reads it from --node-root).
 */

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
