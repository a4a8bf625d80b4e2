/**
 * /etc/nfsmount.conf (nfsmount.conf(5)) → mount options, the one translator the audit, `drill` and
 * `blast` share. Semantics follow nfs-utils utils/mount/configfile.c (conf_get_mntopts):
 *
 * - Sections `[ NFSMount_Global_Options ]`, `[ Server "name" ]`, `[ MountPoint "/path" ]`; section
 *   and option names are case-insensitive, option names are lower-cased before use.
 * - `Name=True` → `name`; `Name=False` → `noname` for every option except the aliases
 *   Background/Foreground (`bg`/`fg`), so `Ac=False` is `noac` and `Soft=False` is `nosoft` (which the
 *   kernel rejects: there is no such NFS option). Any other value → `name=value`, with a k/m/g suffix
 *   multiplied out (`Rsize=32k` → `rsize=32768`).
 * - `Defaultvers`/`Defaultproto` are not mount options: they set where version/protocol negotiation
 *   starts. They are returned as `vers=`/`proto=` with `negotiated: true` so a caller can tell.
 * - Precedence: options written on the mount win; then MountPoint, then Server (the part of the
 *   source before `:`), then Global. `optionsFor` returns them lowest first, so a later entry wins
 *   when the list is parsed left to right — as the kernel parses the final option string.
 */
import type { SourceLocation } from '../core/location.ts';

export type ConfScope =
  | { kind: 'global' }
  | { kind: 'server'; name: string }
  | { kind: 'mountpoint'; path: string };

export interface ConfOption {
  /** The mount option it becomes, e.g. "hard", "noac", "timeo=600", "vers=4.2". */
  option: string;
  /** The line as written, e.g. "Hard=True". */
  written: string;
  scope: ConfScope;
  /** Defaultvers/Defaultproto: a negotiation start, not a pinned option. */
  negotiated?: boolean;
  location: SourceLocation;
}

export interface NfsMountConf {
  options: ConfOption[];
  /** Lines that are not `name=value` or a section header, with their location. */
  problems: { location: SourceLocation; message: string }[];
}

const SECTION = /^\[\s*([A-Za-z_]+)\s*(?:"([^"]*)"|([^\]\s"]+))?\s*\]$/;
/** configfile.c's alias table: these have no `no` form. */
const ALIASES: Readonly<Record<string, string>> = { background: 'bg', foreground: 'fg', sloppy: 'sloppy' };

/** Parse one file (or one /etc/nfsmount.conf.d/*.conf drop-in). Never throws. */
export function parseNfsMountConf(text: string, file: string): NfsMountConf {
  const out: NfsMountConf = { options: [], problems: [] };
  // Lines before any header belong to no section; nfs-utils ignores them.
  let scope: ConfScope | undefined;
  text.split('\n').forEach((raw, i) => {
    const location = { file, line: i + 1 };
    const line = raw.replace(/[#;].*/, '').trim();
    if (line === '') return;
    if (line.startsWith('[')) {
      const m = SECTION.exec(line);
      const name = m?.[1]?.toLowerCase();
      const arg = m?.[2] ?? m?.[3];
      if (name === 'nfsmount_global_options') scope = { kind: 'global' };
      else if (name === 'server' && arg) scope = { kind: 'server', name: arg };
      else if (name === 'mountpoint' && arg) scope = { kind: 'mountpoint', path: arg };
      else {
        scope = undefined;
        out.problems.push({ location, message: `unknown section ${line}: its options apply to no mount` });
      }
      return;
    }
    if (scope === undefined) return;
    const eq = line.indexOf('=');
    if (eq === -1) {
      out.problems.push({ location, message: `'${line}' is not Name=Value: ignored by mount.nfs` });
      return;
    }
    const t = translateConfOption(line.slice(0, eq), line.slice(eq + 1));
    if (t) out.options.push({ ...t, written: line, scope, location });
  });
  return out;
}

/** One `Name=Value` → the mount option nfs-utils makes of it (undefined for an empty name). */
export function translateConfOption(
  rawName: string,
  rawValue: string,
): { option: string; negotiated?: boolean } | undefined {
  const name = rawName.trim().toLowerCase();
  const value = unquote(rawValue.trim());
  if (name === '') return undefined;
  const alias = ALIASES[name];
  const field = alias ?? name;
  if (value.toLowerCase() === 'false') {
    if (field === 'bg') return { option: 'fg' };
    if (field === 'fg') return { option: 'bg' };
    if (field === 'sloppy') return undefined;
    return { option: `no${field}` };
  }
  if (value.toLowerCase() === 'true') return { option: field };
  if (field === 'defaultvers') return { option: `vers=${value}`, negotiated: true };
  if (field === 'defaultproto') return { option: `proto=${value}`, negotiated: true };
  return { option: `${field}=${sizeSuffix(value)}` };
}

/**
 * The conf options that apply to a mount of `server` on `mountPoint`, lowest precedence first
 * (Global, Server, MountPoint). An unknown server or mount point (inline pod volumes before kubelet
 * picks a path) gets Global, plus every Server section naming that server.
 */
export function confOptionsFor(
  confs: readonly ConfOption[],
  target: { server?: string | undefined; mountPoint?: string | undefined } = {},
): ConfOption[] {
  const server = target.server?.replace(/^\[(.*)\]$/, '$1');
  const rank = (o: ConfOption): number => {
    switch (o.scope.kind) {
      case 'global':
        return 0;
      case 'server':
        return server !== undefined && o.scope.name === server ? 1 : -1;
      case 'mountpoint':
        return target.mountPoint !== undefined && trimSlash(o.scope.path) === trimSlash(target.mountPoint)
          ? 2
          : -1;
    }
  };
  return confs
    .map((o, i) => ({ o, i, r: rank(o) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.o);
}

/** Only the Global section: what every NFS mount on the node gets. */
export function globalConfOptions(confs: readonly ConfOption[]): ConfOption[] {
  return confs.filter((o) => o.scope.kind === 'global');
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** configfile.c mountopts_convert: 8k → 8192, 1m → 1048576 (0x and leading-0 bases as strtol). */
function sizeSuffix(value: string): string {
  const m = /^(0x[0-9a-f]+|\d+)([kmg])$/i.exec(value);
  if (!m) return value;
  const digits = m[1]!;
  const base = digits.toLowerCase().startsWith('0x')
    ? 16
    : digits.startsWith('0') && digits.length > 1
      ? 8
      : 10;
  const n = Number.parseInt(base === 16 ? digits.slice(2) : digits, base);
  const factor = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as 'k' | 'm' | 'g'];
  return String(n * factor);
}
