/**
 * Sink addresses without DNS at send time. In the cascade this tool watches, DNS is among the first
 * things to go; an alert path that resolves its receiver's name when it sends is dead exactly when it
 * is needed. So names are resolved at start and refreshed on a timer while DNS answers; a failed
 * refresh keeps the last-known-good addresses; they are persisted in stateDir so a restart during a
 * DNS outage still sends. Sends connect to a cached IP through `lookup` below, which answers only from
 * the cache and never calls a resolver; TLS SNI and the Host header still carry the original name
 * (Node takes both from the URL, not from the address it connects to).
 */
import { readFileSync } from 'node:fs';
import { isIP, type LookupFunction } from 'node:net';
import { join } from 'node:path';
import { writeFileDurableSync } from '../../host/durable.ts';
import { cacheOnlyLookup, type Resolver, systemResolver } from '../../host/names.ts';
import type { Log } from '../log.ts';

// Name resolution itself lives in src/host/names.ts, shared with the probes and the kube client.
export { cacheOnlyLookup, hostsFileAddresses, type Resolver, systemResolver } from '../../host/names.ts';

export const ADDRESSES_FILE = 'addresses.json';

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
    const body = JSON.stringify({ version: 1, hosts: Object.fromEntries(this.cache) }, null, 2);
    try {
      writeFileDurableSync(this.file, `${body}\n`, 0o666);
    } catch (err) {
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
