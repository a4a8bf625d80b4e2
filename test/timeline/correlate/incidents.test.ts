import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/timeline/analyze.ts';
import { Records } from './records.ts';

describe('incidents', () => {
  it('an NFS "OK" closes the outage it belongs to', async () => {
    const r = new Records();
    const report = await analyze(
      [
        r.at('k', 0, 'nfs: server nas1 not responding, still trying'),
        r.at('k', 5, 'nfs: server nas2 not responding, timed out'),
        r.at('k', 40, 'nfs: server nas1 OK'),
        r.at('k', 50, 'nfs: server nas2 OK'),
      ],
      ['k'],
    );
    assert.equal(report.incidents.length, 1);
    const [inc] = report.incidents;
    assert.equal(inc?.endedBy, 'nfs-recovered');
    assert.deepEqual(
      inc?.nfsOutages.map((o) => [o.server, (o.end! - o.start!) / 1000, o.startEvent, o.endEvent]),
      [
        ['nas1', 40, 0, 2],
        ['nas2', 45, 1, 3],
      ],
    );
  });

  it('an outage with no OK stays open', async () => {
    const r = new Records();
    const report = await analyze([r.at('k', 0, 'nfs: server nas1 not responding, still trying')], ['k']);
    assert.equal(report.incidents[0]?.endedBy, 'end-of-input');
    assert.equal(report.incidents[0]?.nfsOutages[0]?.end, null);
  });

  it('a boot marker ends the incident (even hours later); what follows starts a new one', async () => {
    const r = new Records();
    const report = await analyze(
      [
        r.at('k', 0, 'nfs: server nas1 not responding, still trying'),
        r.at('k', 60, 'INFO: task loki:1 blocked for more than 120 seconds.'),
        r.at('k', 6 * 3600, '-- Boot 8f1b2c3d4e5f40718293a4b5c6d7e8f9 --', { program: undefined }),
        r.at('k', 6 * 3600, 'Linux version 6.8.0-48-generic (buildd@lcy02-amd64-010) (gcc) #48-Ubuntu SMP'),
        r.at('k', 6 * 3600 + 300, 'nfs: server nas1 not responding, still trying'),
      ],
      ['k'],
    );
    assert.deepEqual(
      report.incidents.map((i) => [i.events, i.endedBy]),
      [
        [[0, 1, 2, 3], 'reboot'],
        [[4], 'end-of-input'],
      ],
    );
    assert.equal(report.incidents[0]?.end, r.base + 60_000);
    assert.equal(report.incidents[0]?.rebootAt, r.base + 6 * 3600_000);
  });

  it('a long quiet stretch separates incidents; hosts never share one', async () => {
    const r = new Records();
    const report = await analyze(
      [
        r.at('k', 0, 'nfs: server nas1 not responding, still trying'),
        r.at('k', 7200, 'nfs: server nas1 not responding, still trying'),
        r.at('b', 10, 'PLEG is not healthy: pleg was last seen active 3m0.5s ago; threshold is 3m0s', {
          host: 'node-b',
          program: 'kubelet',
        }),
      ],
      ['k', 'b'],
    );
    assert.deepEqual(
      report.incidents.map((i) => [i.host, i.events.length, i.endedBy]),
      [
        ['node-a', 1, 'quiet'],
        ['node-b', 1, 'end-of-input'],
        ['node-a', 1, 'end-of-input'],
      ],
    );
  });

  it('--host keeps only that host', async () => {
    const r = new Records();
    const report = await analyze(
      [r.at('k', 0, 'nfs: server nas1 OK'), r.at('k', 1, 'nfs: server nas1 OK', { host: 'node-b' })],
      ['k'],
      { host: 'node-b' },
    );
    assert.deepEqual(
      report.events.map((e) => e.host),
      ['node-b'],
    );
  });
});
