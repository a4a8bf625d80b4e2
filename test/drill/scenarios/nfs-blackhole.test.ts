import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blocking } from '../../../src/drill/plan.ts';
import { mount, mountinfo, planOn } from '../fixtures.ts';

const KUBELET = '/var/lib/kubelet/pods/3f1c/volumes/kubernetes.io~csi/pvc-1/mount';

const plan = (mounts: string[], target = '10.0.0.5', duration = 30, extra: Record<string, string> = {}) =>
  planOn('nfs-blackhole', { 'proc/self/mountinfo': mountinfo(mounts), ...extra }, target, duration);

describe('nfs-blackhole plan', () => {
  it('the seed: a hard v4.1 mount kubelet made for a pod blocks, and run refuses (node freeze)', async () => {
    const p = await plan([
      mount(
        1034,
        KUBELET,
        'nfs4',
        'nas.lan:/k8s/pvc-1',
        'rw,vers=4.1,hard,proto=tcp,timeo=600,retrans=2,addr=10.0.0.5',
      ),
    ]);
    const m = p.predictions.find((x) => x.kind === 'mount')!;
    assert.equal(m.expect, 'blocks');
    assert.match(m.because, /retried for ever; "not responding" logged after 180 s/);
    assert.equal(m.evidence?.file, '/proc/self/mountinfo');
    assert.equal(m.evidence?.line, 2);
    assert.match(p.freeze ?? '', /pod 3f1c/);
    assert.deepEqual(
      blocking(p, false).map((r) => r.code),
      ['freeze'],
    );
    assert.deepEqual(blocking(p, true), []);
  });

  it("the seed's fix: soft, timeo=100, retrans=2 errors after 30 s per RPC — not 10 s", async () => {
    const p = await plan(
      [
        mount(
          7,
          '/mnt/media',
          'nfs',
          '10.0.0.5:/media',
          'rw,vers=3,soft,proto=tcp,timeo=100,retrans=2,addr=10.0.0.5',
        ),
      ],
      '10.0.0.5',
      60,
    );
    const m = p.predictions.find((x) => x.kind === 'mount')!;
    assert.equal(m.expect, 'errors');
    assert.equal(m.withinSeconds, 30);
    assert.equal(p.freeze, undefined);
  });

  it('a soft bound longer than the fault: accessors just wait it out', async () => {
    const p = await plan(
      [mount(7, '/mnt/media', 'nfs', '10.0.0.5:/media', 'rw,vers=3,soft,timeo=600,retrans=2,addr=10.0.0.5')],
      '10.0.0.5',
      30,
    );
    assert.equal(p.predictions.find((x) => x.kind === 'mount')!.expect, 'blocks');
  });

  it('NFSv4 soft carries the transport caveat', async () => {
    const p = await plan(
      [mount(7, '/mnt/v4', 'nfs4', '10.0.0.5:/x', 'rw,vers=4.2,softerr,timeo=50,retrans=1,addr=10.0.0.5')],
      '10.0.0.5',
      60,
    );
    const m = p.predictions.find((x) => x.kind === 'mount')!;
    assert.equal(m.expect, 'errors');
    assert.equal(m.withinSeconds, 10);
    assert.match(m.caveats.join(' '), /breaks the TCP connection/);
  });

  it('matches the kernel address (addr=) when the source names a host; other servers are untouched', async () => {
    const p = await plan([
      mount(7, '/mnt/a', 'nfs4', 'truenas.home.lex.la:/a', 'rw,vers=4.1,hard,addr=10.0.0.5'),
      mount(8, '/mnt/b', 'nfs4', '10.0.0.6:/b', 'rw,vers=4.1,hard,addr=10.0.0.6'),
    ]);
    assert.deepEqual(
      p.mounts.map((m) => m.mountPoint),
      ['/mnt/a'],
    );
  });

  it('elements: whole host without a port, TCP+UDP answers from the port with one; all expire after the duration', async () => {
    const all = await plan([], '10.0.0.5', 20);
    assert.deepEqual(
      all.elements.map((e) => [e.set, e.element, e.timeoutSeconds]),
      [['host4', '10.0.0.5', 20]],
    );
    const port = await plan([], '[fd00::5]:2049', 20);
    assert.deepEqual(
      port.elements.map((e) => [e.set, e.element]),
      [
        ['blackhole6', 'fd00::5 . tcp . 2049'],
        ['blackhole6', 'fd00::5 . udp . 2049'],
      ],
    );
    assert.match(all.notes.join(' '), /no live NFS mount/);
  });

  it('caps --duration at the hard limit and says so', async () => {
    const p = await plan([], '10.0.0.5', 3600);
    assert.equal(p.durationSeconds, 300);
    assert.equal(p.elements[0]!.timeoutSeconds, 300);
    assert.deepEqual(
      blocking(p, true).map((r) => r.code),
      ['duration'],
    );
  });

  it('refuses to drop all of a loopback address', async () => {
    const p = await plan([], '127.0.0.1');
    assert.ok(blocking(p, true).some((r) => r.code === 'target'));
  });
});
