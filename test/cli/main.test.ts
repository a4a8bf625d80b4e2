import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { captureIO } from '../helpers/io.ts';

describe('faultline CLI', () => {
  it('prints usage and exits 2 without a command', async () => {
    const io = captureIO();
    assert.equal(await main([], io), 2);
    assert.match(io.out(), /Usage: faultline <command>/);
  });

  it('rejects an unknown command with exit 2', async () => {
    const io = captureIO();
    assert.equal(await main(['frobnicate'], io), 2);
    assert.match(io.err(), /unknown command 'frobnicate'/);
  });
});
