import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Ganesha, startGanesha } from '../../../helpers/ganesha.ts';
import { requireExecutable } from '../../../helpers/lab.ts';
import { run } from './run.ts';

function tcpConnects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

describe('startGanesha (real nfs-ganesha)', () => {
  let g: Ganesha | undefined;
  after(async () => g?.stop());

  it('serves NFSv3 and v4, stops answering RPC when paused while TCP still connects, and stops', async () => {
    const rpcinfo = requireExecutable('rpcinfo', 'rpcbind');
    const nfsLs = requireExecutable('nfs-ls', 'libnfs-utils');
    g = await startGanesha();
    writeFileSync(join(g.exportDir, 'marker.txt'), 'x');
    for (const v of ['3', '4']) {
      const r = await run(rpcinfo, ['-t', '-n', String(g.port), g.host, 'nfs', v], 10_000);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`program 100003 version ${v} ready and waiting`));
    }
    const ls = await run(
      nfsLs,
      [`nfs://${g.host}${g.exportDir}?nfsport=${g.port}&mountport=${g.mountPort}`],
      10_000,
    );
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /marker\.txt/);

    g.pause();
    const paused = await run(rpcinfo, ['-t', '-n', String(g.port), g.host, 'nfs', '4'], 2000);
    assert.notEqual(paused.code, 0, 'a paused ganesha must not answer the RPC NULL call');
    assert.equal(await tcpConnects(g.host, g.port), true, 'the kernel still accepts TCP for a paused server');

    g.resume();
    const resumed = await run(rpcinfo, ['-t', '-n', String(g.port), g.host, 'nfs', '4'], 10_000);
    assert.equal(resumed.code, 0, resumed.stderr);

    const port = g.port;
    await g.stop();
    assert.equal(await tcpConnects('127.0.0.1', port), false);
  });
});
