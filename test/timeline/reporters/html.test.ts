import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/timeline/analyze.ts';
import type { LogRecord } from '../../../src/timeline/record.ts';
import { visibleControls } from '../../../src/timeline/reporters/format.ts';
import { renderHtml } from '../../../src/timeline/reporters/html.ts';
import { readLogs } from '../../../src/timeline/sources/index.ts';
import { keepScreenshot, useChromium } from '../../helpers/browser.ts';

const T0 = Date.parse('2025-11-14T02:57:18Z');
let line = 0;
function rec(offsetS: number, message: string, program = 'kernel'): LogRecord {
  line++;
  return {
    time: T0 + offsetS * 1000,
    timeQuality: 'exact',
    host: 'k8s-cp-01',
    program,
    pid: undefined,
    message,
    source: { file: 'hostile.log', line },
    format: 'test',
  };
}

// Log text that would run script, break attributes or carry terminal/NUL bytes if it were not escaped.
const HOSTILE = [
  rec(0, 'nfs: server <script>window.__pwned=1</script> not responding, still trying'),
  rec(1, `INFO: task "'&amp;<img src=x onerror="window.__pwned=2">:4242 blocked for more than 120 seconds.`),
  rec(2, 'dial tcp: lookup quay.io\u001b[31m\u0000\u0007: Try again', 'k3s'),
  rec(
    3,
    'Failed to create sandbox for pod: </script><script>window.__pwned=3</script> & "quoted" \'single\'',
    'k3s',
  ),
];

describe('html reporter in headless Chromium', () => {
  const { open } = useChromium('faultline-html-', { width: 1400, height: 900 });

  it('escapes every log byte: no script from the log runs, hover shows the raw line', async () => {
    const report = await analyze(HOSTILE, ['hostile.log'], { now: () => new Date(T0) });
    assert.equal(report.events.length, 4);
    const { page, requests, dialogs, errors } = await open(renderHtml(report), 'hostile.html');
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
      undefined,
    );
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'the page must not touch the network');
    assert.equal(await page.locator('script').count(), 1, 'only the report’s own script');
    assert.equal(await page.locator('img').count(), 0);
    for (const [i, r] of HOSTILE.entries()) {
      const marker = page.locator(`.marker[data-event="${i}"]`);
      await marker.hover();
      const tip = page.locator('#tip');
      assert.ok(await tip.isVisible(), `tooltip for event ${i}`);
      assert.equal(await tip.locator('pre').textContent(), visibleControls(r.message));
      assert.equal(await marker.getAttribute('title'), visibleControls(r.message));
    }
    // Control bytes are shown, never passed through.
    const raw = await page.locator('#events code').nth(2).textContent();
    assert.ok(raw?.includes('\u241b[31m\u2400\u2407'), raw ?? '');
    await page.close();
  });

  it('draws the seed incident: lanes per family, a marker per event, the chain; screenshot', async () => {
    const seed = 'test/fixtures/timeline/seed';
    const files = ['kernel.short-iso.log', 'k3s-dns.json', 'k3s-cni.short.log', 'events.json'].map((f) =>
      join(seed, f),
    );
    const report = await analyze(readLogs(files, { year: 2025 }), files);
    const { page, requests } = await open(renderHtml(report), 'seed.html');
    assert.deepEqual(requests, []);
    const lanes = await page
      .locator('.lane')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-family')));
    assert.deepEqual(lanes, ['nfs', 'hung-task', 'dns', 'cni', 'kubelet', 'reboot']);
    // One solid marker per event, in the lane of what failed first; hollow ones in its other families' lanes.
    assert.equal(await page.locator('.marker:not(.also)').count(), report.events.length);
    assert.equal(
      await page.locator('.marker.also').count(),
      report.events.reduce((n, e) => n + e.families.length - 1, 0),
    );
    for (const fam of lanes)
      assert.ok((await page.locator(`.lane[data-family="${fam}"] .marker`).count()) > 0, fam!);
    assert.equal(
      await page.locator('.chain').first().textContent(),
      'k8s-cp-01: NFS → hung tasks → DNS → CNI → pods → reboot',
    );
    assert.equal(await page.locator('#chain li.link').count(), 5);
    // The 16 h gap before the next boot is cut out of the axis, and says so.
    assert.ok(
      (await page.locator('.lane[data-family="nfs"] .break span').textContent())?.includes('16 h 32 min'),
    );
    // Hover the NFS server's marker: the raw kernel line.
    const nfs = page.locator('.lane[data-family="nfs"] .marker[data-signature="nfs.server-not-responding"]');
    await nfs.hover();
    assert.equal(
      await page.locator('#tip pre').textContent(),
      'nfs: server truenas.home.lex.la not responding, still trying',
    );
    // Markers sit in time order left to right.
    const xs = await page
      .locator('.marker')
      .evaluateAll((els) =>
        els.map((e) => [Number(e.getAttribute('data-event')), e.getBoundingClientRect().left]),
      );
    const byEvent = xs.sort((a, b) => a[0]! - b[0]!).map((p) => p[1]!);
    for (let i = 1; i < byEvent.length; i++)
      assert.ok(byEvent[i]! >= byEvent[i - 1]! - 0.5, `marker ${i} left of ${i - 1}`);
    await keepScreenshot(page, 'timeline.png');
    await page.close();
  });
});
