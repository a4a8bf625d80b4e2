/**
 * A real DNS server for tests: dnsmasq on 127.0.0.1 and a free port (recipe: ../shared/lab.md).
 * What it answers, verified with node's c-ares resolver (dnsmasq 2.90):
 * - `records` names → their addresses (exact names, --host-record);
 * - names under `nxdomain` domains → NXDOMAIN (`--address=/domain/` with no address);
 * - names under `forward` domains → whatever that upstream says (REFUSED from a dnsmasq with no
 *   upstreams, SERVFAIL passed through, a timeout when the upstream port is closed or paused);
 * - any other name → REFUSED (there are no upstream servers: --no-resolv).
 * `pause()` is SIGSTOP: queries time out (ETIMEOUT), like a hung resolver.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireExecutable } from './lab.ts';
import { freePort } from './ports.ts';

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

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) killGroup(c, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
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
    const child = spawn(bin, args(port, dir, opts), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let exited = false;
    const gone = new Promise<void>((r) =>
      child.once('exit', () => {
        exited = true;
        live.delete(child);
        r();
      }),
    );
    const log = () => {
      try {
        return readFileSync(join(dir, 'dnsmasq.log'), 'utf8');
      } catch {
        return '';
      }
    };
    // dnsmasq logs "started" after binding its sockets.
    const end = Date.now() + 10_000;
    while (!exited && !log().includes('started, version') && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 25));
    }
    if (!exited && log().includes('started, version')) {
      let stopped = false;
      return {
        server: `127.0.0.1:${port}`,
        host: '127.0.0.1',
        port,
        pid: child.pid!,
        log,
        pause: () => killGroup(child, 'SIGSTOP'),
        resume: () => killGroup(child, 'SIGCONT'),
        async stop() {
          if (stopped) return;
          stopped = true;
          killGroup(child, 'SIGKILL');
          await gone;
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    lastError = `${stderr}${log()}`.trim();
    killGroup(child, 'SIGKILL');
    await gone;
    rmSync(dir, { recursive: true, force: true });
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
