import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { PROG_MOUNT, PROG_NFS, portmapGetPort, rpcNull } from '../../../src/agent/rpc/onc-rpc.ts';
import { suiteGanesha } from '../../helpers/ganesha.ts';
import { freePort } from '../../helpers/ports.ts';

function tcpConnects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.setTimeout(2000, () => {
      s.destroy();
      resolve(false);
    });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('rpcNull against real nfs-ganesha', () => {
  const ganesha = suiteGanesha();

  it('gets SUCCESS for NFS v3 and v4 and PROG_MISMATCH for v2', async () => {
    const g = ganesha();
    for (const vers of [3, 4]) {
      const r = await rpcNull(
        { host: g.host, port: g.port, prog: PROG_NFS, vers },
        AbortSignal.timeout(3000),
      );
      assert.equal(r.ok, true, `v${vers}: ${JSON.stringify(r)}`);
    }
    const v2 = await rpcNull(
      { host: g.host, port: g.port, prog: PROG_NFS, vers: 2 },
      AbortSignal.timeout(3000),
    );
    assert.equal(v2.ok, false);
    assert.equal(!v2.ok && v2.reason, 'rpc_error');
    assert.equal(!v2.ok && v2.reply?.status, 'prog_mismatch');
  });

  it('says rpc_timeout for a SIGSTOPped server while a plain TCP connect still succeeds', async () => {
    const g = ganesha();
    g.pause();
    try {
      assert.equal(
        await tcpConnects(g.host, g.port),
        true,
        'TCP-connect check calls the paused server healthy',
      );
      const r = await rpcNull(
        { host: g.host, port: g.port, prog: PROG_NFS, vers: 4 },
        AbortSignal.timeout(500),
      );
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.reason, 'rpc_timeout');
      assert.equal(r.connected, true);
    } finally {
      g.resume();
    }
    const back = await rpcNull(
      { host: g.host, port: g.port, prog: PROG_NFS, vers: 4 },
      AbortSignal.timeout(3000),
    );
    assert.equal(back.ok, true);
  });

  it('says refused for a port nothing listens on', async () => {
    const r = await rpcNull(
      { host: '127.0.0.1', port: await freePort(), prog: PROG_NFS, vers: 3 },
      AbortSignal.timeout(2000),
    );
    assert.equal(!r.ok && r.reason, 'refused');
  });

  it('finds mountd through the real portmapper (rpcbind) and pings it', async () => {
    const m = await portmapGetPort('127.0.0.1', PROG_MOUNT, 3, AbortSignal.timeout(3000));
    assert.equal(m.ok, true, JSON.stringify(m));
    if (!m.ok) return;
    // Several ganesha instances may have registered; whichever owns the mapping must answer NULL.
    assert.ok(m.port > 0);
    const r = await rpcNull(
      { host: '127.0.0.1', port: m.port, prog: PROG_MOUNT, vers: 3 },
      AbortSignal.timeout(3000),
    );
    assert.equal(r.ok, true, JSON.stringify(r));
  });
});
