/**
 * The HTML page and the Mermaid output in real headless Chromium (playwright-core + /usr/bin/chromium):
 * hostile names stay text, the page runs no script and touches no network, the graph is drawn, and the
 * Mermaid flowchart parses and renders with the real Mermaid (devDependency), labels decoded exactly.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { parseTarget } from '../../src/blast/analysis/index.ts';
import { blast } from '../../src/blast/blast.ts';
import type { BlastReport } from '../../src/blast/model.ts';
import { visibleControls } from '../../src/blast/reporters/escape.ts';
import { HTML_CSP, renderHtml } from '../../src/blast/reporters/html.ts';
import { renderMermaid } from '../../src/blast/reporters/mermaid.ts';
import { keepScreenshot, useChromium } from '../helpers/browser.ts';

const HOSTILE_HOSTS = [
  '<img src=x onerror="window.__pwned=2">',
  'a"]; click r0n0 call alert(1) %%',
  "b|c --> d{{e}} `md` 'q' &amp; \u001b[31m",
  '</style></svg><script>window.__pwned=3</script>',
];
const EVIL_UNIT = 'Deployment web/x"]<script>window.__pwned=1</script>';
const MERMAID_JS = resolve('node_modules/mermaid/dist/mermaid.min.js');

async function hostile(): Promise<BlastReport> {
  const r = await blast({
    paths: ['test/blast/fixtures/hostile.yaml'],
    targets: [parseTarget('nfs:nas.example.lan')],
    all: false,
  });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.results[0]!.hostnames.map((h) => h.hostname).sort(), [...HOSTILE_HOSTS].sort());
  return r;
}

describe('blast pages in headless Chromium', () => {
  const { open, browser } = useChromium('faultline-blast-', { width: 1800, height: 1000 });

  const pwned = (page: Page) => page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned);

  it('HTML: hostile names stay text; no script, no network; strict CSP', async () => {
    const { page, requests, dialogs, errors } = await open(renderHtml(await hostile()), 'hostile.html');
    assert.equal(await pwned(page), undefined);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(
      await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
      HTML_CSP,
    );
    // Every hostname box carries the exact name (control bytes shown as pictures) in its label and title.
    const labels = await page
      .locator('g.k-hostname')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-label'), e.querySelector('title')?.textContent]),
      );
    assert.deepEqual(labels.map((l) => l[0]).sort(), HOSTILE_HOSTS.map(visibleControls).sort());
    for (const [label, title] of labels) assert.equal(title, label);
    assert.equal(await page.locator('g.k-unit').first().getAttribute('data-label'), EVIL_UNIT);
    const cells = await page.locator('table.hostnames code').allTextContents();
    assert.deepEqual(cells.sort(), HOSTILE_HOSTS.map(visibleControls).sort());
    await page.close();
  });

  it('HTML: the seed graph — Loki hangs, four hostnames down through the node; screenshot', async () => {
    const report = await blast({
      paths: ['examples/blast/cluster', 'examples/blast/storage-hard'],
      targets: [parseTarget('nfs:truenas.home.lex.la')],
      all: false,
    });
    const { page, requests } = await open(renderHtml(report), 'seed.html');
    assert.deepEqual(requests, []);
    const r = report.results[0]!;
    assert.equal(await page.locator('section.result svg g.box').count(), r.graph.nodes.length);
    assert.equal(await page.locator('section.result svg path.edge').count(), r.graph.edges.length);
    assert.equal(await page.locator('g.i-hang[data-label="StatefulSet monitoring/loki"]').count(), 1);
    const down = await page
      .locator('g.k-hostname.i-node-freeze')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
    assert.deepEqual(down.sort(), ['aleksei.sviridk.in', 'eta.lex.la', 'job.lex.la', 'map.lex.la']);
    // Layers run left to right: the NAS, its StorageClass, the frozen node, the workloads, the hostnames.
    const x = async (sel: string) => (await page.locator(sel).first().boundingBox())!.x;
    const xs = [
      await x('g.k-dependency'),
      await x('g.k-mount'),
      await x('g.k-node'),
      await x('g.k-unit'),
      await x('g.k-hostname'),
    ];
    assert.deepEqual(
      [...xs].sort((a, b) => a - b),
      xs,
    );
    // No box overlaps another.
    const boxes = await page.locator('g.box rect').evaluateAll((els) =>
      els.map((e) => {
        const b = e.getBoundingClientRect();
        return [b.left, b.top, b.right, b.bottom];
      }),
    );
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        assert.ok(
          a[2]! <= b[0]! || b[2]! <= a[0]! || a[3]! <= b[1]! || b[3]! <= a[1]!,
          `boxes ${i} and ${j} overlap`,
        );
      }
    await keepScreenshot(page, 'blast.png');
    await page.close();
  });

  async function mermaidPage(): Promise<Page> {
    const page = await browser().newPage({ viewport: { width: 1800, height: 1200 } });
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: MERMAID_JS });
    await page.evaluate(() =>
      (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
      }),
    );
    return page;
  }

  async function render(
    page: Page,
    text: string,
  ): Promise<{ ok: boolean; error?: string; labels: string[] }> {
    const r = await page.evaluate(async (src) => {
      const m = (
        globalThis as unknown as {
          mermaid: {
            parse(t: string): Promise<unknown>;
            render(id: string, t: string): Promise<{ svg: string }>;
          };
        }
      ).mermaid;
      try {
        await m.parse(src);
        return { ok: true, svg: (await m.render('g1', src)).svg };
      } catch (e) {
        return { ok: false, error: String(e), svg: '' };
      }
    }, text);
    if (!r.ok) return { ok: false, error: r.error ?? '', labels: [] };
    await page.locator('#out').evaluate((el, svg) => {
      el.innerHTML = svg;
    }, r.svg);
    const labels = (await page.locator('#out g.node').allTextContents()).map((t) => t.trim());
    return { ok: true, labels };
  }

  it('Mermaid: the seed graph and --all parse and render; hostile labels come back exactly', async () => {
    const page = await mermaidPage();
    const seed = await blast({
      paths: ['examples/blast/cluster', 'examples/blast/storage-hard'],
      targets: [],
      all: true,
      nodeRoot: 'examples/audit/node-root',
    });
    const a = await render(page, renderMermaid(seed));
    assert.ok(a.ok, a.error);
    assert.equal(
      a.labels.length,
      seed.results.reduce((n, r) => n + r.graph.nodes.length, 0),
    );
    assert.ok(a.labels.includes('eta.lex.la'));

    const h = await hostile();
    const b = await render(page, renderMermaid(h));
    assert.ok(b.ok, b.error);
    assert.equal(await pwned(page), undefined);
    for (const host of HOSTILE_HOSTS)
      assert.ok(b.labels.includes(host), `label ${JSON.stringify(host)} in ${JSON.stringify(b.labels)}`);
    assert.ok(b.labels.includes(EVIL_UNIT));

    // The test can fail: a label written without escaping does not parse.
    const broken = await render(page, 'flowchart LR\n  a["x"]"] --> b\n');
    assert.equal(broken.ok, false);
    await page.close();
  });
});
