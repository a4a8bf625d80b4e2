/**
 * A real DNS server for tests: dnsmasq on 127.0.0.1 and a free port.
 * What it answers, verified with node's c-ares resolver (dnsmasq 2.90):
 * - `records` names → their addresses (exact names, --host-record);
 * - names under `nxdomain` domains → NXDOMAIN (`--address=/domain/` with no address);
 * - names under `forward` domains → whatever that upstream says (REFUSED from a dnsmasq with no
 *   upstreams, SERVFAIL passed through, a timeout when the upstream port is closed or paused);
 * - any other name → REFUSED (there are no upstream servers: --no-resolv).
 * `pause()` is SIGSTOP: queries time out (ETIMEOUT), like a hung resolver.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireExecutable } from './lab.ts';
import { freePort } from './ports.ts';
import { collectText, logReader, serverControls, spawnGroup, waitUntil } from './process-group.ts';

export interface DnsmasqOptions {
  /** name → IPv4 or IPv6 address(es). */
  records?: Record<string, string | string[]>;
  /** Domains (and their subdomains) answered with NXDOMAIN. */
  nxdomain?: string[];
  /** domain → upstream "127.0.0.1:PORT" to forward to. */
  forward?: Record<string, string>;
}

export interface Dnsmasq {
  /** "127.0.0.1:PORT", the form dns.Resolver#setServers and the agent config take. */
  server: string;
  host: string;
  port: number;
  pid: number;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
  log(): string;
}

function args(port: number, dir: string, o: DnsmasqOptions): string[] {
  const a = [
    '--keep-in-foreground',
    `--port=${port}`,
    '--listen-address=127.0.0.1',
    '--bind-interfaces',
    '--no-resolv',
    '--no-hosts',
    '--cache-size=0',
    `--pid-file=${join(dir, 'dnsmasq.pid')}`,
    `--log-facility=${join(dir, 'dnsmasq.log')}`,
    '--log-queries',
  ];
  for (const [name, addrs] of Object.entries(o.records ?? {})) {
    a.push(`--host-record=${[name, ...(Array.isArray(addrs) ? addrs : [addrs])].join(',')}`);
  }
  for (const d of o.nxdomain ?? []) a.push(`--address=/${d}/`);
  for (const [d, up] of Object.entries(o.forward ?? {})) {
    const i = up.lastIndexOf(':');
    a.push(`--server=/${d}/${up.slice(0, i)}#${up.slice(i + 1)}`);
  }
  return a;
}

export async function startDnsmasq(opts: DnsmasqOptions = {}): Promise<Dnsmasq> {
  const bin = requireExecutable('dnsmasq', 'dnsmasq-base');
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-dnsmasq-'));
    const port = await freePort();
    const server = spawnGroup(bin, args(port, dir, opts), { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr = collectText(server.child.stderr);
    const log = logReader(join(dir, 'dnsmasq.log'));
    // dnsmasq logs "started" after binding its sockets.
    const started = () => log().includes('started, version');
    await waitUntil(() => server.exited() || started(), 10_000);
    const controls = serverControls(server, dir);
    if (!server.exited() && started()) {
      return {
        server: `127.0.0.1:${port}`,
        host: '127.0.0.1',
        port,
        pid: server.pid,
        log,
        ...controls,
      };
    }
    lastError = `${stderr()}${log()}`.trim();
    await controls.stop();
  }
  throw new Error(`dnsmasq did not start (3 attempts): ${lastError}`);
}

/**
 * An upstream DNS server that answers SERVFAIL to every query (a broken recursive resolver behind
 * CoreDNS/dnsmasq). dnsmasq forwards its answer unchanged: `forward: {'fail.test': upstream.server}`
 * makes names under fail.test SERVFAIL, as seen from the client.
 */
export async function startServfailUpstream(): Promise<{ server: string; close(): Promise<void> }> {
  const { createSocket } = await import('node:dgram');
  const sock = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const reply = Buffer.from(msg);
    reply[2] = 0x80 | ((msg[2] ?? 0) & 0x01); // QR=1, opcode QUERY, RD copied from the query
    reply[3] = 0x82; // RA=1, RCODE=2 (SERVFAIL)
    sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
  return {
    server: `127.0.0.1:${sock.address().port}`,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}
