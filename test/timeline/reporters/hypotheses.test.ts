/**
 * Issue 8: "Hypotheses, not just a chain" — on the seed and on a kubelet-only log, each open question
 * lists competing explanations with the lines for and against them and the command that fetches what is
 * missing, in JSON, Markdown and HTML.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTimeline } from '../../../src/timeline/build.ts';
import type { TimelineReport } from '../../../src/timeline/correlate/types.ts';
import { renderHtml } from '../../../src/timeline/reporters/html.ts';
import { renderMarkdown } from '../../../src/timeline/reporters/markdown.ts';

const SEED = ['kernel.short-iso.log', 'k3s-dns.json', 'k3s-cni.short.log', 'events.json'];

async function run(inputs: string[], cwd: string): Promise<TimelineReport> {
  const { report } = await buildTimeline({ inputs, cwd, year: 2025, clock: () => new Date(0) });
  return report;
}

function explanation(r: TimelineReport, layer: string, id: string) {
  const h = r.hypotheses.find((x) => x.layer === layer);
  assert.ok(h, `no ${layer} question`);
  const x = h.explanations.find((e) => e.id === id);
  assert.ok(x, `no ${id}`);
  return x;
}

describe('hypotheses', () => {
  it('seed: DNS, CNI and reboot questions with evidence both ways and exact commands', async () => {
    const r = await run(SEED, 'test/fixtures/timeline/seed');
    assert.deepEqual(
      r.hypotheses.map((h) => h.question),
      ['Why did DNS fail?', 'Why did the CNI fail?', 'What restarted the node?'],
    );
    // The seed's open question: resolver blocked on NFS I/O, or CoreDNS hit by the CNI failure?
    const blocked = explanation(r, 'dns', 'dns.resolver-blocked-on-io');
    assert.equal(blocked.status, 'open');
    assert.match(
      blocked.notes.join(' '),
      /tasks were blocked \(loki\) but no hung-task report names a resolver/,
    );
    assert.ok(
      blocked.fetch.some(
        (f) =>
          f.command ===
          'journalctl -u systemd-resolved --since "2025-11-14 02:44:55" --until "2025-11-14 03:12:52" --no-pager',
      ),
    );
    const coredns = explanation(r, 'dns', 'dns.cluster-dns-hit-by-cni');
    assert.equal(coredns.status, 'contradicted');
    assert.deepEqual(coredns.against[0]?.source, { file: 'k3s-dns.json', line: 1 });
    assert.ok(
      coredns.fetch.some((f) =>
        f.command.startsWith(
          'kubectl -n kube-system logs -l k8s-app=kube-dns --since-time=2025-11-14T02:44:55Z',
        ),
      ),
    );
    const backedUp = explanation(r, 'cni', 'cni.agent-backed-up');
    assert.equal(backedUp.status, 'supported');
    assert.deepEqual(backedUp.for[0]?.source, { file: 'k3s-cni.short.log', line: 1 });
    assert.equal(explanation(r, 'cni', 'cni.dns-failure').status, 'open');
    assert.equal(explanation(r, 'reboot', 'reboot.watchdog-reset').status, 'open');

    const md = renderMarkdown(r);
    assert.ok(md.includes('\n## Hypotheses\n'));
    assert.ok(md.indexOf('## Hypotheses') < md.indexOf('## Evidence'));
    assert.ok(md.includes('### k8s-cp-01: Why did DNS fail?'));
    assert.match(
      md,
      /- against: DNS failed before the first CNI failure in these logs \(\[k3s-dns\.json:1\]\(#e\d+\)\)/,
    );
    const html = renderHtml(r);
    assert.match(html, /<section id="hypotheses"><h2>Hypotheses<\/h2>/);
    assert.match(html, /data-id="dns\.cluster-dns-hit-by-cni" data-status="contradicted"/);
  });

  it('kubelet-only log: the questions stay open and say which log to fetch', async () => {
    const r = await run(['kubelet-only.log'], 'examples/timeline');
    const blocked = explanation(r, 'dns', 'dns.resolver-blocked-on-io');
    assert.equal(blocked.status, 'open');
    assert.ok(
      blocked.notes.includes('no kernel lines in these inputs: nothing shows blocked I/O either way'),
    );
    const coredns = explanation(r, 'dns', 'dns.cluster-dns-hit-by-cni');
    assert.match(coredns.for[0]?.why ?? '', /cluster DNS \(10\.43\.0\.10:53\)/);
    assert.equal(explanation(r, 'cni', 'cni.node-starved-by-blocked-io').status, 'open');
    assert.ok(renderMarkdown(r).includes('### k8s-cp-01: Why did the CNI fail?'));
  });
});
