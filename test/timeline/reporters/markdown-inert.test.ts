/**
 * Issue 8: "the Markdown report is not inert". Everything taken from a log is text in Markdown too:
 * rendered by a real Markdown renderer (markdown-it, with raw HTML allowed and GFM-style autolinks, as
 * a permissive viewer would), log text yields no HTML element, no link out, no image, no broken table.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { buildTimeline } from '../../../src/timeline/build.ts';
import { renderMarkdown } from '../../../src/timeline/reporters/markdown.ts';

const HOST = '</td></tr></table><img src=https://evil.example/host.png>';
const TASK = '<script>alert(1)</script>';
const SERVER = '[nas](https://evil.example/phish)';
const POD = '![x](https://evil.example/pod.png)';

function entry(us: string, message: string, extra: Record<string, string> = {}): string {
  return JSON.stringify({
    __REALTIME_TIMESTAMP: us,
    _HOSTNAME: HOST,
    SYSLOG_IDENTIFIER: 'kernel',
    MESSAGE: message,
    ...extra,
  });
}

describe('markdown report is inert', () => {
  it('hostile host, task, server and pod names render as text (markdown-it, html on, autolinks on)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-inert-'));
    try {
      const file = join(dir, 'hostile.json');
      writeFileSync(
        file,
        [
          entry('1763089020000000', `nfs: server ${SERVER} not responding, still trying`),
          entry('1763089030000000', `INFO: task ${TASK}:77 blocked for more than 120 seconds.`),
          entry(
            '1763089040000000',
            `Failed to create pod sandbox: failed to setup network for sandbox "1": plugin type="cilium-cni" failed (add): unable to create endpoint pod="kube-system/${POD}" see www.evil.example and http://evil.example/a **bold** \`tick\` | pipe`,
            { SYSLOG_IDENTIFIER: 'kubelet' },
          ),
        ].join('\n'),
      );
      const { report } = await buildTimeline({ inputs: [file], clock: () => new Date(0) });
      assert.equal(report.events.length, 3);
      const markdown = renderMarkdown(report);
      const md = new MarkdownIt({ html: true, linkify: true });
      md.linkify.set({ fuzzyLink: false });
      const html = md.render(markdown);

      assert.doesNotMatch(html, /<img|<script|<iframe/i);
      // The only links are the report's own anchors.
      const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
      assert.ok(hrefs.length > 0);
      for (const h of hrefs) assert.match(h, /^#e\d+$/, `link out of the report: ${h}`);
      assert.doesNotMatch(html, /<strong>bold<\/strong>/);
      // Every row of the timeline table keeps its five cells.
      const table = html.slice(
        html.indexOf('<h2>Timeline (UTC)</h2>'),
        html.indexOf('<h2>Cascade chain</h2>'),
      );
      const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
      assert.equal(rows.length, 4); // header + 3 events
      for (const r of rows) assert.equal((r.match(/<t[dh]>/g) ?? []).length, 5, r);
      // …and the names are still there, as text.
      assert.ok(
        html.includes('&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;img src=https://evil.example/host.png&gt;'),
      );
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.ok(html.includes('[nas](https://evil.example/phish)'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
