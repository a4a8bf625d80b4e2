/**
 * `--format html`: one self-contained, inert page — the dependency graph of each target as inline SVG
 * (laid out here, in layers: dependency → mounts → node → workloads → Services → routes → hostnames),
 * then the victims and hostnames as tables. No script at all: the Content-Security-Policy forbids
 * scripts and every fetch, and every string from the inputs goes through escapeHtml; the full label of
 * a truncated box is in its SVG <title> (the browser shows it on hover).
 */
import { pageCsp, pageHead } from '../../core/html-page.ts';
import { formatLocation } from '../../core/location.ts';
import type { BlastReport, BlastResult, Graph, GraphNode, GraphNodeKind, Impact } from '../model.ts';
import { escapeHtml } from './escape.ts';

export const HTML_CSP = pageCsp();

const LAYER: Record<GraphNodeKind, number> = {
  dependency: 0,
  mount: 1,
  feature: 1,
  node: 2,
  unit: 3,
  service: 4,
  route: 5,
  hostname: 6,
};
const COL_W = 250;
const BOX_W = 220;
const BOX_H = 30;
const GAP = 12;
const MAX_CHARS = 30;

const CSS = `
:root{--bg:#0f1419;--fg:#e6e1cf;--mut:#8a8f98;--line:#2a313c;--hang:#ff5555;--node-freeze:#ff9955;--io-errors:#ffd866;--cannot-start:#9ecbff;--degraded:#c0c0c0}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
header,section{padding:12px 24px}h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:18px 0 6px}h3{font-size:15px;margin:12px 0 6px}
.mut{color:var(--mut)}.graph{overflow-x:auto;border:1px solid var(--line);border-radius:6px;background:#131a22}
svg text{font:12px ui-monospace,monospace;fill:#000}svg .k-dependency text,svg .plain text{fill:var(--fg)}
svg rect{stroke:#000;stroke-width:1}svg .plain rect{fill:#1f2833;stroke:var(--line)}svg .k-dependency rect{fill:#7a1f1f;stroke:#ff5555}
svg path{fill:none;stroke:#6b7785;stroke-width:1.4}svg path.dashed{stroke-dasharray:5 4;stroke:#ff9955}
.i-hang rect{fill:var(--hang)}.i-node-freeze rect{fill:var(--node-freeze)}.i-io-errors rect{fill:var(--io-errors)}
.i-cannot-start rect{fill:var(--cannot-start)}.i-degraded rect{fill:var(--degraded)}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
code{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
.tag{display:inline-block;padding:0 6px;border-radius:4px;color:#000;font-size:12px}
.t-hang{background:var(--hang)}.t-node-freeze{background:var(--node-freeze)}.t-io-errors{background:var(--io-errors)}
.t-cannot-start{background:var(--cannot-start)}.t-degraded{background:var(--degraded)}
.legend span{margin-right:10px}a{color:#59c2ff}
`;

interface Placed {
  node: GraphNode;
  x: number;
  y: number;
}

/** Layered layout: columns by kind; within a column, ordered by the mean row of each node's parents. */
export function layout(graph: Graph): { placed: Map<string, Placed>; width: number; height: number } {
  const cols = new Map<number, GraphNode[]>();
  for (const n of graph.nodes) {
    const l = LAYER[n.kind];
    cols.set(l, [...(cols.get(l) ?? []), n]);
  }
  const used = [...cols.keys()].sort((a, b) => a - b);
  const placed = new Map<string, Placed>();
  const parents = new Map<string, string[]>();
  for (const e of graph.edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
  let height = 0;
  used.forEach((layer, ci) => {
    const nodes = cols.get(layer)!;
    const key = (n: GraphNode) => {
      const ys = (parents.get(n.id) ?? []).flatMap((p) => placed.get(p)?.y ?? []);
      return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : 0;
    };
    const ordered = nodes
      .map((n, i) => ({ n, k: key(n), i }))
      .sort((a, b) => a.k - b.k || a.i - b.i)
      .map((x) => x.n);
    ordered.forEach((n, i) => {
      placed.set(n.id, { node: n, x: 16 + ci * COL_W, y: 16 + i * (BOX_H + GAP) });
    });
    height = Math.max(height, 16 + ordered.length * (BOX_H + GAP));
  });
  return { placed, width: 32 + Math.max(1, used.length) * COL_W - (COL_W - BOX_W), height: height + 8 };
}

function truncate(s: string): string {
  const chars = [...s];
  return chars.length <= MAX_CHARS ? s : `${chars.slice(0, MAX_CHARS - 1).join('')}…`;
}

function svg(graph: Graph): string {
  const { placed, width, height } = layout(graph);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="dependency graph">`,
  ];
  for (const e of graph.edges) {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) continue;
    // An edge back to an earlier column (a victim freezing its node) leaves from the left side.
    const back = b.x < a.x;
    const x1 = back ? a.x : a.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const x2 = back ? b.x + BOX_W : b.x;
    const y2 = b.y + BOX_H / 2;
    const mx = (x1 + x2) / 2;
    out.push(
      `<path class="edge${e.dashed ? ' dashed' : ''}" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}"><title>${escapeHtml(e.label ?? '')}</title></path>`,
    );
  }
  for (const p of placed.values()) {
    const n = p.node;
    const cls = `box k-${n.kind} ${n.impact ? `i-${n.impact}` : n.kind === 'dependency' ? '' : 'plain'}`;
    out.push(
      `<g class="${cls}" data-id="${escapeHtml(n.id)}" data-label="${escapeHtml(n.label)}"><title>${escapeHtml(n.label)}</title>`,
      `<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="6"></rect>`,
      `<text x="${p.x + 8}" y="${p.y + 19}">${escapeHtml(truncate(n.label))}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}

const tag = (i: Impact) => `<span class="tag t-${i}">${i}</span>`;

function section(r: BlastResult, i: number): string {
  const h: string[] = [
    `<section class="result" id="r${i}" data-target="${escapeHtml(r.target.id)}">`,
    `<h2>${escapeHtml(r.target.id)}</h2><p>${escapeHtml(r.summary)}</p>`,
  ];
  if (r.nodeFreeze !== 'none')
    h.push(
      `<p><strong>Node freeze: ${r.nodeFreeze}</strong> — ${escapeHtml(r.freezeReason ?? '')}<br>Nodes: ${escapeHtml(r.nodes.text)}</p>`,
    );
  if (r.used) h.push(`<div class="graph">${svg(r.graph)}</div>`);
  if (r.hostnames.length > 0) {
    h.push(
      '<h3>Hostnames</h3><table class="hostnames"><tr><th>hostname</th><th>impact</th><th>via</th></tr>',
    );
    for (const x of r.hostnames)
      h.push(
        `<tr><td><code>${escapeHtml(x.hostname)}</code></td><td>${tag(x.impact)}</td><td>${escapeHtml(x.via)}</td></tr>`,
      );
    h.push('</table>');
  }
  if (r.victims.length > 0) {
    h.push(
      '<h3>Workloads</h3><table class="victims"><tr><th>workload</th><th>role</th><th>impact</th><th>how</th><th>where</th></tr>',
    );
    for (const v of r.victims)
      h.push(
        `<tr><td><code>${escapeHtml(v.unit.id)}</code></td><td>${v.role}</td><td>${tag(v.impact)}</td><td>${escapeHtml(v.how)}${v.via.map((x) => `<br><span class="mut">via ${escapeHtml(x)}</span>`).join('')}</td><td><code>${escapeHtml(formatLocation(v.location))}</code></td></tr>`,
      );
    h.push('</table>');
  }
  if (r.order.length > 0)
    h.push(`<h3>What breaks first</h3><ol>${r.order.map((o) => `<li>${escapeHtml(o)}</li>`).join('')}</ol>`);
  for (const n of r.notes) h.push(`<p class="mut">Note: ${escapeHtml(n)}</p>`);
  h.push('</section>');
  return h.join('\n');
}

export function renderHtml(report: BlastReport): string {
  const h: string[] = [
    ...pageHead('faultline blast', CSS, HTML_CSP),
    `<p class="mut">What goes down if a dependency stops answering. ${report.stats.objects} objects, ${report.stats.units} workloads, ${report.stats.routes} routes; node budget ${report.stats.budgetSeconds} s.</p>`,
    `<p class="legend">${(['hang', 'node-freeze', 'io-errors', 'cannot-start', 'degraded'] as const).map(tag).join(' ')}</p></header>`,
  ];
  if (report.ranking) {
    h.push(
      '<section><h2>Dependencies by blast radius</h2><table class="ranking"><tr><th>#</th><th>dependency</th><th>node freeze</th><th>hostnames lost</th><th>workloads lost</th><th>hit</th></tr>',
    );
    for (const r of report.ranking)
      h.push(
        `<tr><td>${r.rank}</td><td><a href="#r${r.rank - 1}">${escapeHtml(r.target.id)}</a></td><td>${r.nodeFreeze}</td><td>${r.hostnamesLost}</td><td>${r.workloadsLost}</td><td>${r.workloadsHit}</td></tr>`,
      );
    h.push('</table></section>');
  }
  report.results.forEach((r, i) => {
    h.push(section(r, i));
  });
  if (report.errors.length > 0) {
    h.push('<section><h2>Input errors</h2><ul>');
    for (const e of report.errors)
      h.push(
        `<li><code>${escapeHtml(`${e.file}${e.line ? `:${e.line}` : ''}`)}</code> ${escapeHtml(e.message)}</li>`,
      );
    h.push('</ul></section>');
  }
  h.push('</body></html>');
  return `${h.join('\n')}\n`;
}
