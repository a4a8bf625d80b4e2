/**
 * A hand-written ONC RPC (RFC 5531) client over TCP, just enough to ask a server "are you answering?":
 * the NULL procedure (and portmapper GETPORT). A TCP connect is not enough: a hung NFS server's kernel
 * still completes the handshake (the kernel answers SYNs into the listen backlog, listen(2), whether
 * or not the process ever calls accept), only an RPC reply proves the server is alive.
 *
 * Outcomes are told apart because operators act on them differently:
 *   refused     – nothing listens (ECONNREFUSED): service down, host up;
 *   unreachable – no route / connect never completed before the deadline: host or network down;
 *   rpc_timeout – TCP connected but no RPC reply before the deadline: server hung (the 2025-11-14 cascade);
 *   rpc_error   – a reply came but it is garbled, denied, or not SUCCESS (version not supported…).
 */
import { randomInt } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { frameRecord, RecordReader, XdrReader } from './xdr.ts';

export const PROG_PORTMAP = 100000;
export const PROG_NFS = 100003;
export const PROG_MOUNT = 100005;

const MSG_CALL = 0;
const MSG_REPLY = 1;
const RPC_VERSION = 2;
const AUTH_NONE = 0;

const ACCEPT_STAT = [
  'SUCCESS',
  'PROG_UNAVAIL',
  'PROG_MISMATCH',
  'PROC_UNAVAIL',
  'GARBAGE_ARGS',
  'SYSTEM_ERR',
];
const AUTH_STAT = [
  'AUTH_OK',
  'AUTH_BADCRED',
  'AUTH_REJECTEDCRED',
  'AUTH_BADVERF',
  'AUTH_REJECTEDVERF',
  'AUTH_TOOWEAK',
  'AUTH_INVALIDRESP',
  'AUTH_FAILED',
];

export function encodeCall(xid: number, prog: number, vers: number, proc: number, args?: Buffer): Buffer {
  const head = Buffer.alloc(40);
  const words = [xid, MSG_CALL, RPC_VERSION, prog, vers, proc, AUTH_NONE, 0, AUTH_NONE, 0];
  words.forEach((w, i) => {
    head.writeUInt32BE(w >>> 0, i * 4);
  });
  return args ? Buffer.concat([head, args]) : head;
}

export type RpcReply =
  | { status: 'success'; body: Buffer }
  | { status: 'prog_mismatch'; low: number; high: number }
  | { status: 'rpc_mismatch'; low: number; high: number }
  | { status: 'accepted_error'; acceptStat: string }
  | { status: 'auth_error'; authStat: string };

/** Parse one reply record. Returns undefined when the xid is not ours (a stray reply: keep waiting). */
export function parseReply(record: Buffer, xid: number): RpcReply | undefined {
  const r = new XdrReader(record);
  const gotXid = r.u32('xid');
  if (gotXid !== xid >>> 0) return undefined;
  const type = r.u32('msg_type');
  if (type !== MSG_REPLY) throw new Error(`RPC message type ${type} where a REPLY (1) was expected`);
  const replyStat = r.u32('reply_stat');
  if (replyStat === 0) {
    r.u32('verifier flavor');
    r.opaque('verifier body');
    const accept = r.u32('accept_stat');
    if (accept === 0) return { status: 'success', body: r.rest() };
    if (accept === 2)
      return { status: 'prog_mismatch', low: r.u32('mismatch low'), high: r.u32('mismatch high') };
    return { status: 'accepted_error', acceptStat: ACCEPT_STAT[accept] ?? `accept_stat ${accept}` };
  }
  if (replyStat === 1) {
    const reject = r.u32('reject_stat');
    if (reject === 0)
      return { status: 'rpc_mismatch', low: r.u32('mismatch low'), high: r.u32('mismatch high') };
    if (reject === 1) {
      const auth = r.u32('auth_stat');
      return { status: 'auth_error', authStat: AUTH_STAT[auth] ?? `auth_stat ${auth}` };
    }
    throw new Error(`unknown reject_stat ${reject}`);
  }
  throw new Error(`unknown reply_stat ${replyStat}`);
}

export type RpcFailureReason = 'refused' | 'unreachable' | 'rpc_timeout' | 'rpc_error';

export interface RpcCallTarget {
  host: string;
  port: number;
  prog: number;
  vers: number;
}

export type RpcCallResult =
  | { ok: true; reply: RpcReply & { status: 'success' }; connectSeconds: number; rpcSeconds: number }
  | {
      ok: false;
      reason: RpcFailureReason;
      message: string;
      /** Whether the TCP connection was established (true for rpc_timeout: the telling case). */
      connected: boolean;
      connectSeconds?: number;
      /** The decoded reply when the failure is a non-SUCCESS answer. */
      reply?: RpcReply;
      code?: string;
    };

const UNREACHABLE_CODES = new Set([
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

function describeReply(reply: RpcReply, t: RpcCallTarget): string {
  switch (reply.status) {
    case 'success':
      return 'SUCCESS';
    case 'prog_mismatch':
      return `program ${t.prog} version ${t.vers} not supported (server offers ${reply.low}–${reply.high})`;
    case 'rpc_mismatch':
      return `RPC version 2 rejected (server speaks ${reply.low}–${reply.high})`;
    case 'accepted_error':
      return `call accepted but failed: ${reply.acceptStat}`;
    case 'auth_error':
      return `call denied: ${reply.authStat}`;
  }
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

/**
 * One RPC call on a fresh TCP connection, bounded by `signal`. Never rejects: every outcome is a result.
 * The socket is always destroyed before the promise settles.
 */
export function rpcCall(
  target: RpcCallTarget,
  proc: number,
  args: Buffer | undefined,
  signal: AbortSignal,
): Promise<RpcCallResult> {
  const xid = randomInt(1, 0x7fffffff);
  const where = `${target.host}:${target.port}`;
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    let connectSeconds: number | undefined;
    let settled = false;
    let socket: Socket | undefined;
    const finish = (r: RpcCallResult) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket?.destroy();
      resolve(r);
    };
    const onAbort = () => finish(deadlineResult(where, target, connectSeconds));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });

    const reader = new RecordReader();
    socket = connect({ host: target.host, port: target.port, noDelay: true });
    socket.once('connect', () => {
      connectSeconds = seconds(started);
      socket?.write(frameRecord(encodeCall(xid, target.prog, target.vers, proc, args)));
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const record of reader.push(chunk)) {
          const reply = parseReply(record, xid);
          if (!reply) continue;
          finish(replyResult(reply, where, target, connectSeconds, started));
          return;
        }
      } catch (e) {
        finish({
          ok: false,
          reason: 'rpc_error',
          connected: true,
          connectSeconds,
          message: `${where}: garbled RPC reply: ${(e as Error).message}`,
        });
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => finish(socketErrorResult(e, where, connectSeconds)));
    socket.on('close', () => {
      finish({
        ok: false,
        reason: 'rpc_error',
        connected: connectSeconds !== undefined,
        connectSeconds,
        message: `${where} closed the connection before an RPC reply`,
      });
    });
  });
}

/** The deadline passed: before the TCP connect (unreachable) or after it, waiting for the reply. */
function deadlineResult(
  where: string,
  target: RpcCallTarget,
  connectSeconds: number | undefined,
): RpcCallResult {
  if (connectSeconds === undefined) {
    return {
      ok: false,
      reason: 'unreachable',
      connected: false,
      message: `TCP connect to ${where} did not complete before the deadline`,
    };
  }
  return {
    ok: false,
    reason: 'rpc_timeout',
    connected: true,
    connectSeconds,
    message: `${where} accepted TCP but sent no RPC reply (program ${target.prog} v${target.vers}) before the deadline`,
  };
}

function replyResult(
  reply: RpcReply,
  where: string,
  target: RpcCallTarget,
  connectSeconds: number | undefined,
  started: bigint,
): RpcCallResult {
  if (reply.status === 'success') {
    return { ok: true, reply, connectSeconds: connectSeconds ?? 0, rpcSeconds: seconds(started) };
  }
  return {
    ok: false,
    reason: 'rpc_error',
    connected: true,
    connectSeconds,
    reply,
    message: `${where}: ${describeReply(reply, target)}`,
  };
}

function socketErrorResult(
  e: NodeJS.ErrnoException,
  where: string,
  connectSeconds: number | undefined,
): RpcCallResult {
  const code = e.code ?? 'UNKNOWN';
  if (connectSeconds === undefined && code === 'ECONNREFUSED') {
    return {
      ok: false,
      reason: 'refused',
      connected: false,
      code,
      message: `${where} refused the connection`,
    };
  }
  if (connectSeconds === undefined && UNREACHABLE_CODES.has(code)) {
    return {
      ok: false,
      reason: 'unreachable',
      connected: false,
      code,
      message: `${where} unreachable (${code})`,
    };
  }
  return {
    ok: false,
    reason: 'rpc_error',
    connected: connectSeconds !== undefined,
    connectSeconds,
    code,
    message: `${where}: ${code} ${connectSeconds === undefined ? 'while connecting' : 'before a reply'}`,
  };
}

/** The NULL procedure (0): no arguments, empty result. The standard "is the RPC service alive" ping. */
export function rpcNull(target: RpcCallTarget, signal: AbortSignal): Promise<RpcCallResult> {
  return rpcCall(target, 0, undefined, signal);
}

/**
 * Portmapper v2 GETPORT (RFC 1833 §3.2): the TCP port a program/version is registered on, 0 if none.
 */
export async function portmapGetPort(
  host: string,
  prog: number,
  vers: number,
  signal: AbortSignal,
  portmapPort = 111,
): Promise<{ ok: true; port: number } | (RpcCallResult & { ok: false })> {
  const args = Buffer.alloc(16);
  args.writeUInt32BE(prog, 0);
  args.writeUInt32BE(vers, 4);
  args.writeUInt32BE(6, 8); // IPPROTO_TCP
  args.writeUInt32BE(0, 12);
  const r = await rpcCall({ host, port: portmapPort, prog: PROG_PORTMAP, vers: 2 }, 3, args, signal);
  if (!r.ok) return r;
  try {
    return { ok: true, port: new XdrReader(r.reply.body).u32('port') };
  } catch (e) {
    return {
      ok: false,
      reason: 'rpc_error',
      connected: true,
      message: `${host}:${portmapPort}: ${(e as Error).message}`,
    };
  }
}
