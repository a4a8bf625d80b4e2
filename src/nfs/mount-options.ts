/**
 * NFS client mount-option semantics (Linux), as nfs(5) and the kernel define them.
 * Pure functions: no I/O. Used by the audit rules, the agent (mountinfo) and the timeline.
 */

export type Transport = 'tcp' | 'udp' | 'rdma';
export type Recovery = 'hard' | 'soft' | 'softerr';

/** One option as written, with its position for error reporting. */
export interface RawOption {
  name: string;
  value: string | undefined;
}

export interface NfsMountOptions {
  /** Options exactly as given (in order). */
  raw: RawOption[];
  /** hard unless soft/softerr was given last; `recoveryExplicit` says whether any of them appeared. */
  recovery: Recovery;
  recoveryExplicit: boolean;
  /** timeo in tenths of a second, after defaults (600 TCP, 11 UDP). */
  timeo: number;
  timeoExplicit: boolean;
  retrans: number;
  retransExplicit: boolean;
  transport: Transport;
  /** "4.1", "3", …; undefined when not pinned (client negotiates from 4.2 down). */
  version: string | undefined;
  /** Options that nfs(5) says are ignored or obsolete (intr, nointr). */
  ignored: string[];
  /** Attribute-cache and lookup-cache settings that multiply round trips (noac, actimeo=0, lookupcache=none). */
  cacheDisabling: string[];
  /** Values that do not parse (timeo=abc): reported, defaults kept. */
  invalid: { option: string; reason: string }[];
}

// Kernel constants (include/uapi/linux/nfs_fs.h, fs/nfs/client.c).
export const NFS_DEF_TCP_TIMEO = 600;
export const NFS_DEF_TCP_RETRANS = 2;
export const NFS_DEF_UDP_TIMEO = 11;
export const NFS_DEF_UDP_RETRANS = 3;
export const NFS_MAX_TCP_TIMEOUT_S = 600;
export const NFS_MAX_UDP_TIMEOUT_S = 60;

/**
 * Split a mount-option list as found in the wild: "a,b=c" strings, YAML lists of strings
 * (each of which may itself hold commas), or space-separated annotation values.
 */
export function splitOptions(input: string | readonly string[]): RawOption[] {
  const parts = (typeof input === 'string' ? [input] : input).flatMap((s) => s.split(/[,\s]+/));
  const out: RawOption[] = [];
  for (const part of parts) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq === -1) out.push({ name: p.toLowerCase(), value: undefined });
    else out.push({ name: p.slice(0, eq).toLowerCase(), value: p.slice(eq + 1) });
  }
  return out;
}

function parseNonNegativeInt(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d{1,9}$/.test(v)) return undefined;
  return Number(v);
}

/** Parse NFS mount options with kernel defaults applied. Later options override earlier ones, as in the kernel. */
// Long on purpose: one switch with a case per option name; split up, the later-wins order the kernel
// applies would be spread over several functions.
export function parseNfsOptions(input: string | readonly string[]): NfsMountOptions {
  const raw = splitOptions(input);
  let recovery: Recovery = 'hard';
  let recoveryExplicit = false;
  let timeo: number | undefined;
  let retrans: number | undefined;
  let transport: Transport = 'tcp';
  let version: string | undefined;
  const ignored: string[] = [];
  const cacheDisabling: string[] = [];
  const invalid: { option: string; reason: string }[] = [];

  for (const { name, value } of raw) {
    const text = value === undefined ? name : `${name}=${value}`;
    switch (name) {
      case 'hard':
      case 'soft':
      case 'softerr':
        recovery = name;
        recoveryExplicit = true;
        break;
      case 'timeo':
      case 'retrans': {
        const n = parseNonNegativeInt(value);
        if (n === undefined || (name === 'timeo' && n === 0)) {
          invalid.push({ option: text, reason: `${name} needs a positive whole number` });
        } else if (name === 'timeo') timeo = n;
        else retrans = n;
        break;
      }
      case 'proto':
        if (value === 'udp' || value === 'udp6') transport = 'udp';
        else if (value === 'rdma' || value === 'rdma6') transport = 'rdma';
        else if (value === 'tcp' || value === 'tcp6') transport = 'tcp';
        else invalid.push({ option: text, reason: 'proto must be tcp, udp or rdma' });
        break;
      case 'udp':
        transport = 'udp';
        break;
      case 'tcp':
        transport = 'tcp';
        break;
      case 'rdma':
        transport = 'rdma';
        break;
      case 'vers':
      case 'nfsvers':
        if (value && /^[234](\.[0-2])?$/.test(value)) version = value;
        else invalid.push({ option: text, reason: `${name} must be 2, 3, 4, 4.0, 4.1 or 4.2` });
        break;
      case 'v2':
      case 'v3':
      case 'v4':
      case 'v4.0':
      case 'v4.1':
      case 'v4.2':
        version = name.slice(1);
        break;
      case 'intr':
      case 'nointr':
        ignored.push(name);
        break;
      case 'noac':
        cacheDisabling.push(name);
        break;
      case 'actimeo':
        if (value === '0') cacheDisabling.push(text);
        break;
      case 'lookupcache':
        if (value === 'none') cacheDisabling.push(text);
        break;
      default:
        break;
    }
  }

  const udp = transport === 'udp';
  return {
    raw,
    recovery,
    recoveryExplicit,
    timeo: timeo ?? (udp ? NFS_DEF_UDP_TIMEO : NFS_DEF_TCP_TIMEO),
    timeoExplicit: timeo !== undefined,
    retrans: retrans ?? (udp ? NFS_DEF_UDP_RETRANS : NFS_DEF_TCP_RETRANS),
    retransExplicit: retrans !== undefined,
    transport,
    version,
    ignored,
    cacheDisabling,
    invalid,
  };
}

/**
 * Seconds until one RPC hits a major timeout, as `xprt_calc_majortimeo` (net/sunrpc/xprt.c) computes it
 * from the values `nfs_init_timeout_values` (fs/nfs/client.c) sets:
 * - TCP/RDMA: linear back-off, timeo/10 × (retrans+1), capped at 600 s (NFS_MAX_TCP_TIMEOUT). Current
 *   kernels (2019 "Ensure that the transport layer respect major timeouts") fire exactly there.
 * - UDP: exponential back-off, timeo/10 × 2^retrans, capped at 60 s (NFS_MAX_UDP_TIMEOUT).
 * For soft/softerr this is when the call fails (EIO/ETIMEDOUT); for hard it is when the kernel logs
 * "not responding, still trying" and starts over.
 */
export function majorTimeoutSeconds(o: Pick<NfsMountOptions, 'timeo' | 'retrans' | 'transport'>): number {
  const t = o.timeo / 10;
  if (o.transport === 'udp') {
    const initial = Math.min(t, NFS_MAX_UDP_TIMEOUT_S);
    // 2^retrans overflows harmlessly to Infinity for absurd retrans; the cap applies either way.
    return round(Math.min(initial * 2 ** o.retrans, NFS_MAX_UDP_TIMEOUT_S));
  }
  const initial = Math.min(t, NFS_MAX_TCP_TIMEOUT_S);
  return round(Math.min(initial * (o.retrans + 1), NFS_MAX_TCP_TIMEOUT_S));
}

/**
 * NFSv4 soft mounts are not a hard bound (fs/nfs/nfs4client.c sets NFS_CS_NO_RETRANS_TIMEOUT): a sent
 * request times out only when the TCP connection breaks, so a server that still ACKs TCP but never
 * answers RPCs can keep a "soft" v4 request waiting. True when the mount is, or may negotiate, v4.
 */
export function softBoundDependsOnTransport(o: NfsMountOptions): boolean {
  return o.recovery !== 'hard' && (o.version === undefined || o.version.startsWith('4'));
}

/** Options given more than once with different meanings (e.g. "soft then hard"): the last one wins. */
export function conflictingOptions(o: NfsMountOptions): string[] {
  const groups: Record<string, string> = {
    hard: 'recovery',
    soft: 'recovery',
    softerr: 'recovery',
    tcp: 'proto',
    udp: 'proto',
    rdma: 'proto',
    proto: 'proto',
    vers: 'vers',
    nfsvers: 'vers',
    v2: 'vers',
    v3: 'vers',
    v4: 'vers',
    'v4.0': 'vers',
    'v4.1': 'vers',
    'v4.2': 'vers',
    timeo: 'timeo',
    retrans: 'retrans',
  };
  const seen = new Map<string, { canonical: Set<string>; written: string[] }>();
  for (const r of o.raw) {
    const group = groups[r.name];
    if (group === undefined) continue;
    const written = r.value === undefined ? r.name : `${r.name}=${r.value}`;
    // tcp and proto=tcp6, nfsvers=4.1 and v4.1 say the same thing: compare meanings, show what was written.
    let canonical = r.value ?? r.name;
    if (group === 'recovery') canonical = r.name;
    else if (group === 'proto') canonical = (r.value ?? r.name).replace(/6$/, '');
    else if (group === 'vers' && r.value === undefined) canonical = r.name.slice(1);
    const entry = seen.get(group) ?? { canonical: new Set<string>(), written: [] };
    entry.canonical.add(canonical);
    entry.written.push(written);
    seen.set(group, entry);
  }
  return [...seen.values()].filter((e) => e.canonical.size > 1).map((e) => e.written.join(' then '));
}

/** Seconds until a call returns an error, or null for hard mounts (never: retried for ever). */
export function errorAfterSeconds(o: NfsMountOptions): number | null {
  return o.recovery === 'hard' ? null : majorTimeoutSeconds(o);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Short human summary, e.g. "hard (implicit), timeo=600 retrans=2 tcp → never returns an error". */
export function describeNfsOptions(o: NfsMountOptions): string {
  const rec = o.recoveryExplicit ? o.recovery : `${o.recovery} (implicit: no soft/softerr)`;
  const after = errorAfterSeconds(o);
  const tail =
    after === null
      ? `retried for ever; "not responding" logged after ${majorTimeoutSeconds(o)} s`
      : `errors after ${after} s`;
  return `${rec}, timeo=${o.timeo} retrans=${o.retrans} ${o.transport} → ${tail}`;
}
