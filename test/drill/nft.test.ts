/** The nftables side without root: the script's shape and parsing `nft -j list table` output (nft 1.0.6). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  blackholeElements,
  elementsScript,
  type NftRunner,
  parseListJson,
  stop,
  tableScript,
} from '../../src/drill/inject/nft.ts';

// Captured from `nft -j list table inet faultline_drill` (nftables 1.0.6) in a test netns, trimmed.
const LISTED = JSON.stringify({
  nftables: [
    { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } },
    { table: { family: 'inet', name: 'faultline_drill', handle: 1 } },
    {
      set: {
        family: 'inet',
        name: 'blackhole4',
        table: 'faultline_drill',
        type: ['ipv4_addr', 'inet_proto', 'inet_service'],
        handle: 1,
        flags: ['timeout'],
        elem: [
          { elem: { val: { concat: ['127.0.0.1', 'tcp', 2049] }, timeout: 5, expires: 4 } },
          { elem: { val: { concat: ['127.0.0.1', 'udp', 2049] }, timeout: 5, expires: 4 } },
        ],
      },
    },
    {
      set: {
        family: 'inet',
        name: 'host4',
        table: 'faultline_drill',
        type: 'ipv4_addr',
        handle: 3,
        flags: ['timeout'],
        elem: [{ elem: { val: '127.0.0.1', timeout: 5, expires: 4 } }],
      },
    },
    {
      set: {
        family: 'inet',
        name: 'stall6',
        table: 'faultline_drill',
        type: ['ipv6_addr', 'inet_service'],
        handle: 6,
        flags: ['timeout'],
      },
    },
  ],
});

describe('nft', () => {
  it('reads live elements with their expiry', () => {
    assert.deepEqual(parseListJson(LISTED), [
      { set: 'blackhole4', element: '127.0.0.1 . tcp . 2049', expiresSeconds: 4 },
      { set: 'blackhole4', element: '127.0.0.1 . udp . 2049', expiresSeconds: 4 },
      { set: 'host4', element: '127.0.0.1', expiresSeconds: 4 },
    ]);
  });

  it('every element carries a timeout; rules only hook input (never forward: pods are not touched)', () => {
    const els = blackholeElements({ ip: '10.0.0.5', family: 4, port: 2049, given: 'x' }, 30, ['tcp', 'udp']);
    const script = tableScript() + elementsScript(els);
    for (const line of script.split('\n').filter((l) => l.startsWith('add element')))
      assert.match(line, / timeout 30s \}$/);
    assert.doesNotMatch(script, /hook (forward|output|prerouting)/);
    assert.match(script, /hook input/);
  });

  it('stop deletes the table and reports what was active; an absent table is fine', async () => {
    const calls: string[][] = [];
    const fake: NftRunner = async (args) => {
      calls.push(args);
      if (args[0] === '-j') return { code: 0, stdout: LISTED, stderr: '' };
      return { code: 0, stdout: '', stderr: '' };
    };
    assert.deepEqual(await stop(fake), { removed: 3 });
    assert.deepEqual(calls[1], ['delete', 'table', 'inet', 'faultline_drill']);
    const absent: NftRunner = async () => ({
      code: 1,
      stdout: '',
      stderr: 'Error: No such file or directory',
    });
    assert.deepEqual(await stop(absent), { removed: 0 });
  });
});
