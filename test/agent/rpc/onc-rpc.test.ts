import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { portmapGetPort, rpcNull } from '../../../src/agent/rpc/onc-rpc.ts';
import { frameRecord, MAX_RECORD_BYTES, RecordReader } from '../../../src/agent/rpc/xdr.ts';
import { freePort } from '../../helpers/ports.ts';
import {
  type FakeRpcServer,
  fragHeader,
  type Responder,
  startFakeRpcServer,
  successReply,
  words,
} from './fake-rpc-server.ts';

const servers: FakeRpcServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function serve(respond: Responder): Promise<FakeRpcServer> {
  const s = await startFakeRpcServer(respond);
  servers.push(s);
  return s;
}

const deadline = (ms = 2000) => AbortSignal.timeout(ms);

describe('RecordReader', () => {
  it('reassembles records split inside headers, across fragments, and several per chunk', () => {
    const a = Buffer.from('abcdefgh');
    const b = Buffer.from('1234');
    const stream = Buffer.concat([
      fragHeader(3, false),
      a.subarray(0, 3),
      fragHeader(5, true),
      a.subarray(3),
      frameRecord(b),
    ]);
    // Every split point, byte by byte.
    for (let cut = 0; cut <= stream.length; cut++) {
      const r = new RecordReader();
      const out = [...r.push(stream.subarray(0, cut)), ...r.push(stream.subarray(cut))];
      assert.deepEqual(out.map(String), ['abcdefgh', '1234'], `cut at ${cut}`);
    }
    const r = new RecordReader();
    assert.deepEqual([...stream].flatMap((byte) => r.push(Buffer.from([byte]))).map(String), [
      'abcdefgh',
      '1234',
    ]);
  });

  it('rejects an oversized record instead of buffering it', () => {
    assert.throws(() => new RecordReader().push(fragHeader(MAX_RECORD_BYTES + 1, true)), /larger than/);
  });
});

describe('rpcNull against a scripted TCP server', () => {
  it('sends a well-formed NULL call and accepts SUCCESS', async () => {
    const s = await serve((c, sock) => sock.write(frameRecord(successReply(c.xid))));
    const r = await rpcNull({ host: '127.0.0.1', port: s.port, prog: 100003, vers: 4 }, deadline());
    assert.equal(r.ok, true);
    assert.deepEqual(
      s.calls.map(({ prog, vers, proc }) => ({ prog, vers, proc })),
      [{ prog: 100003, vers: 4, proc: 0 }],
    );
    if (r.ok) assert.ok(r.rpcSeconds >= r.connectSeconds);
  });

  it('accepts a reply split into several fragments written separately', async () => {
    const s = await serve((c, sock) => {
      const body = successReply(c.xid);
      sock.write(Buffer.concat([fragHeader(5, false), body.subarray(0, 5)]));
      setTimeout(() => sock.write(fragHeader(7, false).subarray(0, 2)), 10);
      setTimeout(
        () => sock.write(Buffer.concat([fragHeader(7, false).subarray(2), body.subarray(5, 12)])),
        20,
      );
      setTimeout(
        () => sock.write(Buffer.concat([fragHeader(body.length - 12, true), body.subarray(12)])),
        30,
      );
    });
    const r = await rpcNull({ host: '127.0.0.1', port: s.port, prog: 100003, vers: 3 }, deadline());
    assert.equal(r.ok, true);
  });

  it('ignores a stray reply with another xid and takes the matching one', async () => {
    const s = await serve((c, sock) =>
      sock.write(Buffer.concat([frameRecord(successReply(c.xid + 1)), frameRecord(successReply(c.xid))])),
    );
    assert.equal(
      (await rpcNull({ host: '127.0.0.1', port: s.port, prog: 100003, vers: 3 }, deadline())).ok,
      true,
    );
  });

  it('reports PROG_MISMATCH with the versions the server offers', async () => {
    const s = await serve((c, sock) => sock.write(frameRecord(words(c.xid, 1, 0, 0, 0, 2, 3, 3))));
    const r = await rpcNull({ host: '127.0.0.1', port: s.port, prog: 100003, vers: 4 }, deadline());
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.reason, 'rpc_error');
    assert.deepEqual(r.reply, { status: 'prog_mismatch', low: 3, high: 3 });
    assert.match(r.message, /version 4 not supported \(server offers 3–3\)/);
  });

  it('reports MSG_DENIED (AUTH_ERROR and RPC_MISMATCH)', async () => {
    const auth = await serve((c, sock) => sock.write(frameRecord(words(c.xid, 1, 1, 1, 5))));
    const r1 = await rpcNull({ host: '127.0.0.1', port: auth.port, prog: 100003, vers: 3 }, deadline());
    assert.equal(!r1.ok && r1.reason, 'rpc_error');
    assert.deepEqual(!r1.ok && r1.reply, { status: 'auth_error', authStat: 'AUTH_TOOWEAK' });
    const mism = await serve((c, sock) => sock.write(frameRecord(words(c.xid, 1, 1, 0, 3, 4))));
    const r2 = await rpcNull({ host: '127.0.0.1', port: mism.port, prog: 100003, vers: 3 }, deadline());
    assert.deepEqual(!r2.ok && r2.reply, { status: 'rpc_mismatch', low: 3, high: 4 });
  });

  it('calls a truncated or non-RPC reply garbled (rpc_error), not healthy', async () => {
    const trunc = await serve((c, sock) => sock.write(frameRecord(words(c.xid, 1, 0))));
    const r1 = await rpcNull({ host: '127.0.0.1', port: trunc.port, prog: 100003, vers: 3 }, deadline());
    assert.equal(!r1.ok && r1.reason, 'rpc_error');
    assert.match(!r1.ok ? r1.message : '', /garbled RPC reply: truncated/);
    const http = await serve((_c, sock) => sock.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const r2 = await rpcNull({ host: '127.0.0.1', port: http.port, prog: 100003, vers: 3 }, deadline());
    assert.equal(!r2.ok && r2.reason, 'rpc_error');
  });

  it('distinguishes a server that closes without replying (rpc_error) from one that never replies (rpc_timeout)', async () => {
    const closer = await serve((_c, sock) => sock.end());
    const r1 = await rpcNull({ host: '127.0.0.1', port: closer.port, prog: 100003, vers: 3 }, deadline());
    assert.equal(!r1.ok && r1.reason, 'rpc_error');
    assert.match(!r1.ok ? r1.message : '', /closed the connection/);
    const silent = await serve(() => {});
    const r2 = await rpcNull({ host: '127.0.0.1', port: silent.port, prog: 100003, vers: 3 }, deadline(200));
    assert.equal(r2.ok, false);
    if (r2.ok) return;
    assert.equal(r2.reason, 'rpc_timeout');
    assert.equal(r2.connected, true);
  });

  it('reports a closed port as refused', async () => {
    const port = await freePort();
    const r = await rpcNull({ host: '127.0.0.1', port, prog: 100003, vers: 3 }, deadline());
    assert.equal(!r.ok && r.reason, 'refused');
    assert.equal(!r.ok && r.connected, false);
  });

  it('decodes a portmapper GETPORT answer', async () => {
    const s = await serve((c, sock) => sock.write(frameRecord(successReply(c.xid, words(2049)))));
    const r = await portmapGetPort('127.0.0.1', 100003, 3, deadline(), s.port);
    assert.deepEqual(r, { ok: true, port: 2049 });
    assert.deepEqual(
      s.calls.map(({ prog, vers, proc }) => ({ prog, vers, proc })),
      [{ prog: 100000, vers: 2, proc: 3 }],
    );
  });
});
