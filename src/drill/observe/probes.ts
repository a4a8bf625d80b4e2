/**
 * One measurement each, bounded by a deadline, never touching a mount from this process: mounts are
 * stat()ed by sacrificial children (the agent's MountSandbox), lookups through the node's resolver path by
 * a `getent` child, resolvers and NFS servers over sockets with timeouts.
 */
import { spawn } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { classifyDnsError } from '../../agent/probes/dns.ts';
import { PROG_NFS, rpcNull } from '../../agent/rpc/onc-rpc.ts';
import type { LookupState } from '../model.ts';

export async function queryResolver(
  resolver: string,
  name: string,
  timeoutMs: number,
): Promise<{ state: LookupState; ms: number }> {
  const r = new Resolver({ timeout: timeoutMs, tries: 1 });
  r.setServers([resolver]);
  const t0 = performance.now();
  try {
    await r.resolve4(name);
    return { state: 'ok', ms: Math.round(performance.now() - t0) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      state: code === 'ENODATA' ? 'ok' : classifyDnsError(code),
      ms: Math.round(performance.now() - t0),
    };
  } finally {
    r.cancel();
  }
}

/** RPC NULL to the NFS server: "ok", "rpc_timeout" (TCP up, no answer), "unreachable", "refused"… */
export async function nullCall(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ state: string; ms: number }> {
  const t0 = performance.now();
  const r = await rpcNull({ host, port, prog: PROG_NFS, vers: 3 }, AbortSignal.timeout(timeoutMs));
  const ms = Math.round(performance.now() - t0);
  if (r.ok) return { state: 'ok', ms };
  // A v3-less server still answers PROG_MISMATCH: it is alive.
  if (r.reply?.status === 'prog_mismatch') return { state: 'ok', ms };
  const state = r.reason === 'rpc_timeout' && r.connected ? 'rpc_timeout (TCP connected)' : r.reason;
  return { state, ms };
}

/** Loopback connect to sshd's port: a node whose kernel still schedules answers (connected or refused) at once. */
export function loopbackConnect(
  port: number,
  timeoutMs: number,
): Promise<{ connect: string; connectMs: number | undefined }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const s = connect({ host: '127.0.0.1', port });
    const done = (what: string, ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ connect: what, connectMs: ok ? Math.round((performance.now() - t0) * 10) / 10 : undefined });
    };
    const timer = setTimeout(() => done('timeout', false), timeoutMs);
    s.once('connect', () => done('connected', true));
    s.once('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ECONNREFUSED' ? 'refused' : (e.code ?? 'error'), e.code === 'ECONNREFUSED'),
    );
  });
}

/** Time to fork/exec /bin/true and collect it: a wedged node shows here first. */
export function forkExec(timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('/bin/true', [], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(undefined);
    }, timeoutMs);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(Math.round((performance.now() - t0) * 10) / 10);
    });
  });
}

/**
 * One lookup through the node's own resolver path (nsswitch, resolv.conf, the resolved stub) in a child:
 * `getent ahosts NAME`. Killed at the deadline; a killed lookup counts as failed.
 */
export function nodeLookup(
  name: string,
  timeoutMs: number,
): Promise<{ ok: boolean; ms: number; detail: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('getent', ['ahosts', name], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, ms: Math.round(performance.now() - t0), detail: `getent: ${e.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const ms = Math.round(performance.now() - t0);
      const addr = out.split('\n')[0]?.split(/\s+/)[0];
      if (killed) resolve({ ok: false, ms, detail: `no answer in ${timeoutMs} ms` });
      else if (code === 0) resolve({ ok: true, ms, detail: addr ?? 'ok' });
      else
        resolve({
          ok: false,
          ms,
          detail: code === 2 ? 'no address (getent exit 2)' : `failed (getent exit ${code})`,
        });
    });
  });
}

/** The agent's /metrics: is it up, how many alerts has it sent, which checks are not ok. */
export async function agentMetrics(
  url: string,
  timeoutMs: number,
): Promise<{ up: boolean; alertsSent: number | undefined; failing: string[] }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { up: false, alertsSent: undefined, failing: [] };
    return { up: true, ...parseAgentMetrics(await res.text()) };
  } catch {
    return { up: false, alertsSent: undefined, failing: [] };
  }
}

export function parseAgentMetrics(text: string): { alertsSent: number | undefined; failing: string[] } {
  let sent: number | undefined;
  const failing: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^(faultline_alerts_sent_total|faultline_check_state)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    const v = Number(m[3]);
    if (m[1] === 'faultline_alerts_sent_total') sent = (sent ?? 0) + v;
    else if (v === 1 && labels.state !== 'ok') failing.push(`${labels.check} ${labels.state}`);
  }
  return { alertsSent: sent, failing: failing.sort() };
}
