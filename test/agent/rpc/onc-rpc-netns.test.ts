import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { requireExecutable, requireRoot } from '../../helpers/lab.ts';
import { run } from '../probes/helpers/run.ts';

// "unreachable" needs addresses that do not answer; the rules allow only namespaces the test creates.
// Inside a fresh namespace: v0 (10.99.0.1/24) paired with an address-less veth, so ARP for 10.99.0.x goes
// unanswered (connect hangs, then EHOSTUNREACH after ~3 s), and 10.100.0.0/16 has no route at all.
describe('rpcNull: unreachable, in a network namespace the test creates', () => {
  const ns = `faultline-rpc-${randomBytes(3).toString('hex')}`;
  let ip = '';
  const cli = fileURLToPath(new URL('./rpc-null-cli.ts', import.meta.url));

  before(async () => {
    requireRoot('create a network namespace');
    ip = requireExecutable('ip', 'iproute2');
    for (const args of [
      ['netns', 'add', ns],
      ['-n', ns, 'link', 'set', 'lo', 'up'],
      ['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'],
      ['-n', ns, 'addr', 'add', '10.99.0.1/24', 'dev', 'v0'],
      ['-n', ns, 'link', 'set', 'v0', 'up'],
      ['-n', ns, 'link', 'set', 'v1', 'up'],
    ]) {
      const r = await run(ip, args, 5000);
      assert.equal(r.code, 0, `ip ${args.join(' ')}: ${r.stderr}`);
    }
  });
  after(async () => {
    if (ip) await run(ip, ['netns', 'del', ns], 5000);
  });

  const probe = async (host: string, ms: number) => {
    const r = await run(
      ip,
      ['netns', 'exec', ns, process.execPath, '--import', 'tsx', cli, host, '2049', String(ms)],
      20_000,
    );
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { ok: boolean; reason: string; connected: boolean; code?: string };
  };

  it('connect that never completes before the deadline → unreachable, not connected', async () => {
    const r = await probe('10.99.0.2', 500);
    assert.equal(r.reason, 'unreachable');
    assert.equal(r.connected, false);
    assert.equal(r.code, undefined);
  });

  it('no route (ENETUNREACH) and no neighbour (EHOSTUNREACH) → unreachable', async () => {
    const noRoute = await probe('10.100.0.1', 500);
    assert.deepEqual([noRoute.reason, noRoute.code], ['unreachable', 'ENETUNREACH']);
    const noNeighbour = await probe('10.99.0.3', 10_000);
    assert.deepEqual([noNeighbour.reason, noNeighbour.code], ['unreachable', 'EHOSTUNREACH']);
  });
});
