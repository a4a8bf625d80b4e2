import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/timeline/analyze.ts';
import { chainSummary } from '../../../src/timeline/correlate/chain.ts';
import { Records } from './records.ts';

const NFS_DOWN = 'nfs: server nas not responding, still trying';
const HUNG = 'INFO: task loki:25860 blocked for more than 122 seconds.';
const DNS = 'dial tcp: lookup quay.io: Try again';
const CNI_429 =
  'plugin type="cilium-cni" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests';
const SANDBOX_QUOTING =
  'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "9f2c": plugin type="cilium-cni" failed (add): unable to create endpoint: [PUT /endpoint/{id}][429] putEndpointIdTooManyRequests';
const SANDBOX_BARE = 'cert-manager/cert-manager-webhook-6d5b7cf5d9-kq2lp: CreatePodSandboxError';

/** [seconds from the start, message, program (kernel when absent)] */
type Line = [number, string, string?];

/** analyze() of one log file 'k' holding `lines` in that order. */
function analyzeK(lines: Line[]) {
  const r = new Records();
  return analyze(
    lines.map(([s, message, program]) => r.at('k', s, message, program ? { program } : {})),
    ['k'],
  );
}

describe('cascade chain', () => {
  it('follows the dependency model, not the order lines appear in', async () => {
    // Effects first in time: the model still puts storage first.
    const report = await analyzeK([
      [0, SANDBOX_QUOTING, 'k3s'],
      [10, CNI_429, 'k3s'],
      [20, DNS, 'k3s'],
      [30, NFS_DOWN],
    ]);
    assert.equal(chainSummary(report.chain), 'NFS → DNS → CNI → pods');
    const dnsCni = report.chain.find((l) => l.from === 'dns' && l.to === 'cni');
    assert.match(dnsCni?.why ?? '', /note: the first CNI line comes before the first DNS line/);
  });

  it('NFS → hung tasks is observed only when the blocked stack is in NFS', async () => {
    const plain = await analyzeK([
      [0, NFS_DOWN],
      [60, HUNG],
    ]);
    assert.equal(plain.chain[0]?.relation, 'likely');
    assert.match(plain.chain[0]?.why ?? '', /no stack in these logs puts them inside NFS/);
    const withStack = await analyzeK([
      [0, NFS_DOWN],
      [60, HUNG],
      [60, ' nfs_write_begin+0xa8/0x590 [nfs]'],
    ]);
    assert.equal(withStack.chain[0]?.relation, 'observed');
    assert.match(withStack.chain[0]?.why ?? '', /inside the NFS client \(nfs_write_begin\)/);
    assert.deepEqual(withStack.chain[0]?.firstEvidence.source, { file: 'k', line: 2 });
  });

  it('DNS → CNI is never asserted: a 429 is the rate limiter’s 15 s wait, said in the link', async () => {
    const report = await analyzeK([
      [0, DNS, 'k3s'],
      [240, CNI_429, 'k3s'],
    ]);
    const [link] = report.chain;
    assert.equal(link?.relation, 'likely');
    assert.match(link?.why ?? '', /15 s maximum wait/);
    assert.match(link?.why ?? '', /not by itself evidence that DNS failed/);
    assert.ok(report.inferred.some((n) => n.includes('likely')));
  });

  it('CNI → pods is observed when the sandbox error quotes the CNI, likely otherwise', async () => {
    const quoting = await analyzeK([
      [0, CNI_429, 'k3s'],
      [1, SANDBOX_BARE, 'k3s'],
      [2, SANDBOX_QUOTING, 'k3s'],
    ]);
    const [link] = quoting.chain;
    assert.equal(link?.relation, 'observed');
    // The quoting line is the evidence, although a bare one came first.
    assert.equal(link?.firstEvidence.source.line, 3);
    const bare = await analyzeK([
      [0, CNI_429, 'k3s'],
      [1, SANDBOX_BARE, 'k3s'],
    ]);
    assert.equal(bare.chain[0]?.relation, 'likely');
  });

  it('no chain from a single layer; info lines (NFS OK, node Ready) do not make a layer', async () => {
    const r = new Records();
    const report = await analyze(
      [
        r.at('k', 0, NFS_DOWN),
        r.at('k', 5, 'nfs: server nas OK'),
        r.at('e', 6, 'Node node-a status is now: NodeReady', { program: 'kubelet' }),
      ],
      ['k', 'e'],
    );
    assert.deepEqual(report.chain, []);
  });
});
