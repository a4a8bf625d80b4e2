/**
 * Name resolution for the agent, one building block below the probes, delivery and the kube client.
 * Never Node's default lookup (getaddrinfo on libuv's 4-thread pool): in a DNS outage each call parks a
 * pool thread for timeout × attempts × nameservers, and the agent's fs calls (outbox fsync, procfs
 * reads) wait behind them (https://nodejs.org/api/dns.html#implementation-considerations).
 * Order as glibc's default nsswitch `hosts: files dns` — the order mount.nfs and curl on the node use —
 * /etc/hosts (a small local file, read synchronously), then A and AAAA through c-ares (sockets on the
 * event loop). c-ares applies no resolv.conf search list: names must be fully qualified.
 */
import { Resolver as DnsResolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isIP, type LookupFunction } from 'node:net';

/** Name → addresses (IPv4/IPv6 literals). Throws or returns [] when the name does not resolve. */
export type Resolver = (host: string) => Promise<string[]>;

export interface SystemResolverOptions {
  /** Default /etc/hosts. */
  hostsFile?: string;
  /** DNS servers ("ip" or "ip:port"); default: the nameservers of /etc/resolv.conf. */
  servers?: string[];
  /** Per-query timeout in ms (c-ares), default 1500. */
  timeoutMs?: number;
  /** Tries per query, default 2. */
  tries?: number;
}

export function systemResolver(opts: SystemResolverOptions = {}): Resolver {
  const hostsFile = opts.hostsFile ?? '/etc/hosts';
  const dns = new DnsResolver({ timeout: opts.timeoutMs ?? 1500, tries: opts.tries ?? 2 });
  if (opts.servers) dns.setServers(opts.servers);
  return async (host) => {
    const fromHosts = hostsFileAddresses(hostsFile, host);
    if (fromHosts.length > 0) return fromHosts;
    const name = host.replace(/\.$/, '');
    const [v4, v6] = await Promise.allSettled([dns.resolve4(name), dns.resolve6(name)]);
    const out = [
      ...(v4.status === 'fulfilled' ? v4.value : []),
      ...(v6.status === 'fulfilled' ? v6.value : []),
    ];
    if (out.length > 0) return out;
    throw v4.status === 'rejected' ? v4.reason : new Error(`${name}: no A or AAAA records`);
  };
}

/** Addresses /etc/hosts gives a name (small local file, read synchronously: no thread pool). */
export function hostsFileAddresses(file: string, host: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const want = host.replace(/\.$/, '').toLowerCase();
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const [addr, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (addr && isIP(addr) !== 0 && names.some((n) => n.toLowerCase() === want) && !out.includes(addr)) {
      out.push(addr);
    }
  }
  return out;
}

export interface LastKnownGoodOptions {
  resolver: Resolver;
  /** Re-resolve a name at most this often (ms). */
  refreshMs: number;
  /** After a failed refresh, keep the last answer and ask again no sooner than this (ms). */
  retryMs?: number;
  now?: () => number;
}

/**
 * Addresses with a last-known-good cache: DNS may be the thing that is down, and the agent must keep
 * reaching an NFS server or the API server it has reached before. A failed refresh keeps the last
 * answer and is not retried on every call (each retry would wait out the resolver's timeout).
 */
export class LastKnownGood {
  readonly #cache = new Map<string, { addresses: string[]; at: number; failedAt?: number }>();
  readonly #o: Required<LastKnownGoodOptions>;

  constructor(o: LastKnownGoodOptions) {
    this.#o = { retryMs: Math.min(o.refreshMs, 60_000), now: Date.now, ...o };
  }

  /** The cached answer without asking anyone (undefined when the name was never resolved). */
  cached(host: string): string[] | undefined {
    return isIP(host) !== 0 ? [host] : this.#cache.get(host)?.addresses;
  }

  /** Fresh or last-known-good addresses; throws only when the name never resolved. */
  async addresses(host: string): Promise<string[]> {
    if (isIP(host) !== 0) return [host];
    const now = this.#o.now();
    const c = this.#cache.get(host);
    if (c && now - c.at < this.#o.refreshMs) return c.addresses;
    if (c?.failedAt !== undefined && now - c.failedAt < this.#o.retryMs) return c.addresses;
    try {
      const addresses = await this.#o.resolver(host);
      if (addresses.length === 0) throw new Error(`${host}: no addresses`);
      this.#cache.set(host, { addresses, at: this.#o.now() });
      return addresses;
    } catch (e) {
      if (!c) throw e;
      c.failedAt = this.#o.now();
      return c.addresses;
    }
  }
}

/**
 * A `lookup` for http(s).request / net.connect that answers from `addresses` only and never calls a
 * resolver (dns.lookup would run getaddrinfo on libuv's pool). No address: ENOTFOUND.
 */
export function cacheOnlyLookup(addresses: (host: string) => string[] | undefined): LookupFunction {
  return (hostname, options, callback) => {
    const addrs = addresses(hostname);
    const family = typeof options === 'object' ? options.family : undefined;
    const usable = (addrs ?? []).filter((a) => !family || isIP(a) === Number(family));
    if (usable.length === 0) {
      const err = Object.assign(
        new Error(`no cached address for ${hostname} (faultline never resolves names at send time)`),
        { code: 'ENOTFOUND', hostname },
      );
      process.nextTick(() => (callback as (e: Error) => void)(err));
      return;
    }
    if (typeof options === 'object' && options.all) {
      const list = usable.map((address) => ({ address, family: isIP(address) }));
      process.nextTick(() => (callback as (e: null, a: typeof list) => void)(null, list));
      return;
    }
    const first = usable[0]!;
    process.nextTick(() => callback(null, first, isIP(first)));
  };
}
