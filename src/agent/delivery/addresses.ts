/**
 * Sink addresses without DNS at send time. In the cascade this tool watches, DNS is among the first
 * things to go; an alert path that resolves its receiver's name when it sends is dead exactly when it
 * is needed. So names are resolved at start and refreshed on a timer while DNS answers; a failed
 * refresh keeps the last-known-good addresses; they are persisted in stateDir so a restart during a
 * DNS outage still sends. Sends connect to a cached IP through `lookup` below, which answers only from
 * the cache and never calls a resolver; TLS SNI and the Host header still carry the original name
 * (Node takes both from the URL, not from the address it connects to).
 */
import { Resolver as DnsResolver } from 'node:dns/promises';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { isIP, type LookupFunction } from 'node:net';
import { join } from 'node:path';
import { syncDirSync } from './outbox.ts';

/** Name → addresses (IPv4/IPv6 literals). Throws or returns [] when the name does not resolve. */
export type Resolver = (host: string) => Promise<string[]>;

type Log = (
  level: 'debug' | 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;

export const ADDRESSES_FILE = 'addresses.json';

export interface SystemResolverOptions {
  /** Default /etc/hosts. */
  hostsFile?: string;
  /** DNS servers ("ip" or "ip:port"); default: the nameservers of /etc/resolv.conf. */
  servers?: string[];
  /** Per-query timeout in ms (c-ares), default 1500, with 2 tries. */
  timeoutMs?: number;
}

/**
 * The default resolver: /etc/hosts first, then A and AAAA queries through c-ares. Not getaddrinfo
 * (dns.lookup): that runs on libuv's 4-thread pool, and during a DNS outage each call parks a thread
 * for up to timeout × attempts × nameservers — the same pool the outbox's fsync needs
 * (../shared/knowledge.md §1). c-ares queries are sockets on the event loop. Unlike getaddrinfo it
 * applies no resolv.conf search list: give sinks fully qualified names (or IPs).
 */
export function systemResolver(opts: SystemResolverOptions = {}): Resolver {
  const hostsFile = opts.hostsFile ?? '/etc/hosts';
  const dns = new DnsResolver({ timeout: opts.timeoutMs ?? 1500, tries: 2 });
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

interface CachedHost {
  addresses: string[];
  resolvedAt: string;
}

export interface AddressBookOptions {
  stateDir: string;
  /** Hostnames from the sink URLs (IP literals are ignored: they need no resolution). */
  hosts: string[];
  resolver?: Resolver;
  refreshMs: number;
  /** A resolver call that has not answered by then counts as failed (the call itself is left behind). */
  resolveTimeoutMs?: number;
  log?: Log;
}

export class AddressBook {
  private readonly cache = new Map<string, CachedHost>();
  private readonly hosts: string[];
  private readonly resolver: Resolver;
  private readonly file: string;
  private readonly stateDir: string;
  private readonly refreshMs: number;
  private readonly resolveTimeoutMs: number;
  private readonly log: Log;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private closed = false;
  /** Resolver calls made (tests prove the send path adds none). */
  resolverCalls = 0;

  private constructor(opts: AddressBookOptions) {
    this.hosts = [...new Set(opts.hosts.filter((h) => isIP(h) === 0))];
    this.resolver = opts.resolver ?? systemResolver();
    this.stateDir = opts.stateDir;
    this.file = join(opts.stateDir, ADDRESSES_FILE);
    this.refreshMs = opts.refreshMs;
    this.resolveTimeoutMs = opts.resolveTimeoutMs ?? 5000;
    this.log = opts.log ?? (() => {});
  }

  /** Loads persisted addresses, resolves once (bounded by resolveTimeoutMs), then refreshes on a timer. */
  static async open(opts: AddressBookOptions): Promise<AddressBook> {
    const book = new AddressBook(opts);
    book.loadPersisted();
    if (book.hosts.length > 0) {
      await book.refresh();
      book.schedule();
    }
    return book;
  }

  // Small local files, read and written synchronously: no libuv pool thread (see journal-io.ts).
  private loadPersisted(): void {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log('warn', `addresses: cannot read ${this.file}`, { error: String(err) });
      }
      return;
    }
    try {
      const data = JSON.parse(raw) as { hosts?: Record<string, CachedHost> };
      for (const [host, c] of Object.entries(data.hosts ?? {})) {
        const addrs = Array.isArray(c.addresses) ? c.addresses.filter((a) => isIP(a) !== 0) : [];
        if (addrs.length > 0) this.cache.set(host, { addresses: addrs, resolvedAt: String(c.resolvedAt) });
      }
    } catch (err) {
      this.log('warn', `addresses: ${this.file}: unreadable, starting without persisted addresses`, {
        error: String(err),
      });
    }
  }

  private schedule(): void {
    if (this.closed) return;
    // Until every host has an address, retry sooner: a sink with no address cannot send at all.
    const missing = this.hosts.some((h) => !this.cache.has(h));
    const delay = missing ? Math.min(this.refreshMs, 5000) : this.refreshMs;
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }

  /** Re-resolve every host; keep the old addresses for any that fail. One refresh at a time. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    let changed = false;
    await Promise.all(
      this.hosts.map(async (host) => {
        try {
          const addrs = await this.resolveBounded(host);
          if (addrs.length === 0) throw new Error('no addresses');
          const prev = this.cache.get(host);
          if (!prev || prev.addresses.join(',') !== addrs.join(',')) changed = true;
          this.cache.set(host, { addresses: addrs, resolvedAt: new Date().toISOString() });
        } catch (err) {
          const prev = this.cache.get(host);
          this.log(prev ? 'warn' : 'error', `addresses: resolving ${host} failed`, {
            host,
            error: String(err),
            keeping: prev?.addresses ?? [],
            resolvedAt: prev?.resolvedAt,
          });
        }
      }),
    );
    if (changed && !this.closed) this.persist();
  }

  private resolveBounded(host: string): Promise<string[]> {
    this.resolverCalls++;
    return new Promise<string[]>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`no answer within ${this.resolveTimeoutMs} ms`)),
        this.resolveTimeoutMs,
      );
      this.resolver(host).then(
        (a) => {
          clearTimeout(t);
          resolve(a.filter((x) => isIP(x) !== 0));
        },
        (e) => {
          clearTimeout(t);
          reject(e);
        },
      );
    });
  }

  private persist(): void {
    const tmp = `${this.file}.tmp`;
    const body = JSON.stringify({ version: 1, hosts: Object.fromEntries(this.cache) }, null, 2);
    let fd: number | undefined;
    try {
      fd = openSync(tmp, 'w');
      writeSync(fd, `${body}\n`);
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      renameSync(tmp, this.file);
      syncDirSync(this.stateDir);
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      this.log('warn', `addresses: cannot persist ${this.file}`, { error: String(err) });
    }
  }

  /** Cached addresses for a host (IP literals map to themselves). */
  addresses(host: string): string[] | undefined {
    if (isIP(host) !== 0) return [host];
    return this.cache.get(host)?.addresses;
  }

  /**
   * For http(s).request's `lookup` option: answers from the cache only. A name with no cached address
   * fails the attempt (retried with backoff) instead of falling back to DNS.
   */
  readonly lookup: LookupFunction = cacheOnlyLookup((host) => this.addresses(host));

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
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
