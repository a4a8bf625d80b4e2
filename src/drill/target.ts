/**
 * `--server HOST[:PORT]` / `--resolver IP[:PORT]`: what the fault matches. Hostnames are resolved once,
 * before injection (the fault matches addresses; a name that resolves to several is refused rather than
 * guessed). IPv6 literals take brackets when a port follows: "[fd00::5]:2049".
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { FaultlineError } from '../core/errors.ts';
import type { Endpoint } from './model.ts';

export interface ParsedTarget {
  host: string;
  port: number | undefined;
  given: string;
}

export function parseTarget(text: string): ParsedTarget {
  const t = text.trim();
  const bracket = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(t);
  const plain = /^([^:[\]\s]+)(?::(\d{1,5}))?$/.exec(t);
  let host: string;
  let portText: string | undefined;
  if (bracket?.[1]) [host, portText] = [bracket[1], bracket[2]];
  else if (plain?.[1]) [host, portText] = [plain[1], plain[2]];
  else if (isIP(t) === 6) [host, portText] = [t, undefined];
  else throw new FaultlineError('usage', `invalid target '${text}': expected HOST, HOST:PORT or [IPv6]:PORT`);
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535))
    throw new FaultlineError('usage', `invalid port in '${text}': must be 1–65535`);
  return { host, port, given: t };
}

export type HostResolver = (host: string) => Promise<string[]>;

const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true })).map((a) => a.address);

/**
 * `known`: names already resolved on this node (the kernel's addr= for NFS mounts); used before DNS, so
 * planning a drill of the server DNS cannot reach still works.
 */
export async function resolveTarget(
  text: string,
  resolver: HostResolver = systemResolver,
  known: ReadonlyMap<string, string> = new Map(),
): Promise<Endpoint> {
  const p = parseTarget(text);
  let ip = known.get(p.host.toLowerCase()) ?? p.host;
  if (isIP(ip) === 0) {
    let addrs: string[];
    try {
      addrs = [...new Set(await resolver(p.host))];
    } catch (err) {
      throw new FaultlineError(
        'usage',
        `cannot resolve '${p.host}': ${(err as Error).message}; give an IP address`,
      );
    }
    if (addrs.length !== 1)
      throw new FaultlineError(
        'usage',
        `'${p.host}' resolves to ${addrs.length === 0 ? 'nothing' : addrs.join(', ')}: give the one IP address to drill`,
      );
    ip = addrs[0]!;
  }
  return { ip, family: isIP(ip) === 6 ? 6 : 4, port: p.port, given: p.given };
}

/** "10.0.0.5:2049", "[fd00::5]:2049", "10.0.0.5 (all ports)". */
export function formatEndpoint(e: Endpoint): string {
  const host = e.family === 6 ? `[${e.ip}]` : e.ip;
  return e.port === undefined ? `${host} (all ports)` : `${host}:${e.port}`;
}

/** Does a server as written in config ("nas.lan", "10.0.0.5", "[fd00::5]") name this endpoint? */
export function sameHost(written: string | undefined, e: Endpoint, aliases: readonly string[] = []): boolean {
  if (written === undefined) return false;
  const w = written.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (w === e.ip.toLowerCase()) return true;
  const given = parseTarget(e.given).host.toLowerCase();
  return w === given || aliases.map((a) => a.toLowerCase()).includes(w);
}
