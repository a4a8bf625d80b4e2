/**
 * "host:port" as the agent names servers in checks and metric labels (IPv6 in brackets), shared by the
 * nfs probe (RPC calls) and the dstate probe (mountstats per server), so neither imports the other.
 */
import { isIP } from 'node:net';

export const NFS_PORT = 2049;

/** "10.0.0.5", "10.0.0.5:2049", "nfs.example.com:20490", "[fd00::5]:2049" → host + port. */
export function parseServer(
  text: string,
  defaultPort = NFS_PORT,
): { host: string; port: number } | undefined {
  const t = text.trim();
  const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(t) ?? /^([^:[\]\s]+)(?::(\d{1,5}))?$/.exec(t);
  if (!m?.[1]) {
    // A bare IPv6 literal without brackets has no port.
    return isIP(t) === 6 ? { host: t, port: defaultPort } : undefined;
  }
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1], port };
}

export function serverKey(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
