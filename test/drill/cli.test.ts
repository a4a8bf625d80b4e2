/** `faultline drill` without root: plan is the default and changes nothing; run refuses before touching nft. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { captureIO } from '../helpers/io.ts';

const SEED = [
  '--server',
  'truenas.home.lex.la',
  '--node-root',
  'examples/audit/node-root',
  'examples/audit/cluster',
];

describe('faultline drill (cli)', () => {
  it('plan is the default: the seed node, its loki pod and the freeze it predicts', async () => {
    const io = captureIO();
    assert.equal(await main(['drill', 'nfs-blackhole', ...SEED], io), 0);
    const out = io.out();
    assert.match(out, /faultline drill nfs-blackhole → 172\.16\.0\.5 \(all ports\) for 30 s/);
    assert.match(out, /StatefulSet monitoring\/loki — volume storage: PVC monitoring\/storage-loki-0/);
    assert.match(out, /`run` would refuse:\n {2}the plan predicts a node freeze/);
  });

  it('json plan is versioned', async () => {
    const io = captureIO();
    assert.equal(await main(['drill', 'plan', 'nfs-blackhole', ...SEED, '--format', 'json'], io), 0);
    const r = JSON.parse(io.out());
    assert.equal(r.version, 1);
    assert.equal(r.kind, 'faultline-drill');
    assert.equal(r.verdict, undefined);
  });

  it('run without --yes prints the plan and injects nothing', async () => {
    const io = captureIO();
    assert.equal(
      await main(
        [
          'drill',
          'run',
          'dns-blackhole',
          '--resolver',
          '172.16.0.1',
          '--node-root',
          'examples/audit/node-root',
        ],
        io,
      ),
      2,
    );
    assert.match(io.err(), /add --yes to inject this fault/);
  });

  it('run --yes refuses a predicted freeze (exit 3) unless --allow-freeze', async () => {
    const io = captureIO();
    assert.equal(await main(['drill', 'run', 'nfs-blackhole', ...SEED, '--yes'], io), 3);
    assert.match(
      io.err(),
      /refusing to run:\nthe plan predicts a node freeze: .*\(override: --allow-freeze\)/,
    );
  });

  it('usage errors name the problem', async () => {
    for (const [args, re] of [
      [['drill', 'nfs-blackhole'], /nfs-blackhole needs --server/],
      [['drill', 'nope', '--server', '1.2.3.4'], /unknown scenario 'nope'/],
      [
        ['drill', 'nfs-blackhole', '--server', '1.2.3.4', '--duration', 'soon'],
        /--duration: expected a duration/,
      ],
      [['drill', 'nfs-blackhole', '--server', '1.2.3.4:99999'], /invalid port/],
    ] as const) {
      const io = captureIO();
      assert.equal(await main([...args], io), 2, args.join(' '));
      assert.match(io.err(), re);
    }
  });
});
