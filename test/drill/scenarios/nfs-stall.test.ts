import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mount, mountinfo, planOn } from '../fixtures.ts';

const plan = (opts: string) =>
  planOn(
    'nfs-stall',
    { 'proc/self/mountinfo': mountinfo([mount(7, '/mnt/x', 'nfs4', '10.0.0.5:/x', opts)]) },
    '10.0.0.5',
    60,
  );

describe('nfs-stall plan', () => {
  it('stalls port 2049 by default: data segments from the server dropped, the handshake passes', async () => {
    const p = await plan('rw,vers=3,soft,timeo=50,retrans=1,addr=10.0.0.5');
    assert.deepEqual(
      p.elements.map((e) => [e.set, e.element]),
      [['stall4', '10.0.0.5 . 2049']],
    );
    assert.match(p.predictions[0]!.because, /TCP still connects/);
  });

  it('NFSv3 soft still errors on time (the RPC timer runs whatever TCP does)', async () => {
    const m = (await plan('rw,vers=3,soft,timeo=50,retrans=1,addr=10.0.0.5')).predictions.find(
      (x) => x.kind === 'mount',
    )!;
    assert.equal(m.expect, 'errors');
    assert.equal(m.withinSeconds, 10);
  });

  it('NFSv4 soft against a server that still ACKs: predicted to block (NFS_CS_NO_RETRANS_TIMEOUT)', async () => {
    const m = (await plan('rw,vers=4.1,soft,timeo=50,retrans=1,addr=10.0.0.5')).predictions.find(
      (x) => x.kind === 'mount',
    )!;
    assert.equal(m.expect, 'blocks');
    assert.match(m.because, /only when the connection breaks/);
  });
});
