import { createServer, type Server, type Socket } from 'node:net';
import { RecordReader } from '../../../src/agent/rpc/xdr.ts';

/** What the fake server does with each call it reads: write these byte chunks (given the call's xid). */
export type Responder = (
  call: { xid: number; prog: number; vers: number; proc: number },
  socket: Socket,
) => void;

export interface FakeRpcServer {
  port: number;
  calls: { xid: number; prog: number; vers: number; proc: number }[];
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1:0 that decodes record-marked RPC calls and lets the test script the reply. */
export async function startFakeRpcServer(respond: Responder): Promise<FakeRpcServer> {
  const calls: FakeRpcServer['calls'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const reader = new RecordReader();
    socket.on('data', (chunk: Buffer) => {
      for (const rec of reader.push(chunk)) {
        const call = {
          xid: rec.readUInt32BE(0),
          prog: rec.readUInt32BE(12),
          vers: rec.readUInt32BE(16),
          proc: rec.readUInt32BE(20),
        };
        calls.push(call);
        respond(call, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  return {
    port: addr.port,
    calls,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Big-endian u32 words → bytes. */
export function words(...ws: number[]): Buffer {
  const b = Buffer.alloc(ws.length * 4);
  ws.forEach((w, i) => {
    b.writeUInt32BE(w >>> 0, i * 4);
  });
  return b;
}

/** One record-marking fragment header. */
export function fragHeader(length: number, last: boolean): Buffer {
  return words((last ? 0x80000000 : 0) | length);
}

/** An accepted SUCCESS reply body for xid, with an AUTH_NONE verifier. */
export function successReply(xid: number, result: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([words(xid, 1, 0, 0, 0, 0), result]);
}
