import { escapeHtml } from '../../core/escape.ts';
import { pageCsp, pageHead } from '../../core/html-page.ts';
import { chainSummary } from '../correlate/chain.ts';
import type { ChainLink, Incident, TimelineEvent, TimelineReport } from '../correlate/types.ts';
import { FAMILIES, LAYER_LABELS } from '../signatures/types.ts';
import { formatDuration, formatTime, shortFile } from './format.ts';

/** Every log byte goes through here (src/core/escape.ts). */
export { escapeHtml };

/** Gaps longer than this are cut out of the axis (and marked), so a reboot hours later does not squash the incident. */
const AXIS_GAP_CAP_MS = 10 * 60_000;

interface Placed {
  event: TimelineEvent;
  x: number;
  row: number;
}

interface Axis {
  placed: Placed[];
  breaks: { x: number; gap: number }[];
  ticks: { x: number; label: string }[];
}

function layout(events: readonly TimelineEvent[]): Axis {
  // Events without wall-clock time sit where the merge put them: at the previous event's time.
  let last: number | null = null;
  const eff = events.map((e) => {
    if (e.time !== null && e.timeQuality !== 'relative') last = e.time;
    return last;
  });
  const times = [...new Set(eff.filter((t): t is number => t !== null))].sort((a, b) => a - b);
  const pos = new Map<number, number>();
  const breaks: { x: number; gap: number }[] = [];
  let acc = 0;
  for (const [i, t] of times.entries()) {
    if (i > 0) {
      const gap = t - times[i - 1]!;
      if (gap > AXIS_GAP_CAP_MS) breaks.push({ x: acc + AXIS_GAP_CAP_MS / 2, gap });
      acc += Math.min(gap, AXIS_GAP_CAP_MS);
    }
    pos.set(t, acc);
  }
  const total = acc || 1;
  const toX = (v: number): number => (times.length <= 1 ? 50 : 1 + (v / total) * 98);
  const rows = new Map<string, number>();
  const placed = events.map((event, i) => {
    const t = eff[i];
    const x = t === null || t === undefined ? 0 : toX(pos.get(t)!);
    const key = `${event.family}@${x.toFixed(1)}`;
    const row = rows.get(key) ?? 0;
    rows.set(key, row + 1);
    return { event, x, row: row % 4 };
  });
  const ticks: { x: number; label: string }[] = [];
  for (const t of times) {
    const x = toX(pos.get(t)!);
    if (ticks.length === 0 || x - ticks[ticks.length - 1]!.x >= 9)
      ticks.push({ x, label: new Date(t).toISOString().slice(11, 19) });
  }
  return { placed, breaks: breaks.map((b) => ({ x: toX(b.x), gap: b.gap })), ticks };
}

const CSS = `
:root{--bg:#0f1419;--fg:#e6e1cf;--mut:#8a8f98;--lane:#1a2029;--line:#2a313c;--crit:#ff3333;--high:#ff8f40;--medium:#e6b450;--low:#59c2ff;--info:#7fd962}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
header,section{padding:12px 24px}h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:16px 0 8px}
.chain{font-size:16px;font-weight:600}.mut{color:var(--mut)}
#timeline{position:relative}.lane{display:flex;align-items:stretch;border-bottom:1px solid var(--line);min-height:44px}
.lane-label{width:96px;flex:none;padding:12px 8px;color:var(--mut);font-family:ui-monospace,monospace}
.track{position:relative;flex:1;background:var(--lane)}
.marker{position:absolute;width:14px;height:14px;margin-left:-7px;border-radius:50%;border:2px solid var(--bg);padding:0;cursor:pointer}
.marker:focus,.marker:hover{outline:2px solid var(--fg);z-index:2}
.marker.also{background:transparent!important;border:2px dashed currentColor}
.sev-critical{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.axis{position:relative;height:24px;margin-left:96px;color:var(--mut);font:12px ui-monospace,monospace}
.tick{position:absolute;transform:translateX(-50%)}.break{position:absolute;top:0;bottom:0;border-left:2px dashed var(--mut);pointer-events:none}
.break span{position:absolute;top:2px;left:4px;font:11px ui-monospace,monospace;color:var(--mut);white-space:nowrap}
#tip{position:fixed;z-index:10;max-width:min(900px,90vw);background:#000;border:1px solid var(--line);padding:8px 10px;border-radius:6px;box-shadow:0 4px 16px #0008}
#tip strong{display:block;margin-bottom:4px}#tip pre{margin:0;white-space:pre-wrap;word-break:break-all;font:12px ui-monospace,monospace}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
td code{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}tr.hl{background:#2d3640}
.rel-observed{color:var(--info)}a{color:var(--low)}.rel-likely{color:var(--medium)}
`;

// The only script: a tooltip with the raw line on hover/focus, click to jump to the event's row. It reads
// data attributes and writes textContent, so log text is never parsed as markup.
const SCRIPT = `(()=>{const tip=document.getElementById('tip');
const show=(m)=>{tip.replaceChildren();const s=document.createElement('strong');s.textContent=m.dataset.summary;
const p=document.createElement('pre');p.textContent=m.dataset.raw;tip.append(s,p);tip.hidden=false;
const r=m.getBoundingClientRect();tip.style.left=\`\${Math.max(8,Math.min(r.left,innerWidth-tip.offsetWidth-8))}px\`;
tip.style.top=\`\${r.bottom+8}px\`;};const hide=()=>{tip.hidden=true;};
for(const m of document.querySelectorAll('.marker')){m.addEventListener('mouseenter',()=>show(m));
m.addEventListener('focus',()=>show(m));m.addEventListener('mouseleave',hide);m.addEventListener('blur',hide);
m.addEventListener('click',()=>{const row=document.getElementById(\`ev-\${m.dataset.event}\`);if(!row)return;
row.scrollIntoView({block:'center'});row.classList.add('hl');setTimeout(()=>row.classList.remove('hl'),1500);});}})();`;

interface IncidentChain {
  inc: Incident;
  links: ChainLink[];
}

/**
 * One self-contained HTML file: lanes per family with a marker per event (hover shows the raw line), the
 * chain, and the events table. No network: inline CSS and one inline script allowed by its hash in the
 * Content-Security-Policy (src/core/html-page.ts).
 */
export function renderHtml(report: TimelineReport): string {
  const chains = report.incidents
    .map((inc) => ({ inc, links: report.chain.filter((l) => l.incident === inc.id) }))
    .filter((c) => c.links.length > 0);
  return [
    ...pageHead('faultline timeline', CSS, pageCsp(SCRIPT)),
    ...headerLead(report, chains),
    ...lanesSection(report.events),
    ...chainSection(report.events, chains),
    ...hypothesesSection(report),
    ...eventsSection(report.events),
    ...inferredSection(report),
    `<script>${SCRIPT}</script></body></html>`,
    '',
  ].join('\n');
}

/** Under the title: each incident's chain in one line, then what was read. Closes the header. */
function headerLead(report: TimelineReport, chains: IncidentChain[]): string[] {
  const h = chains.map(
    ({ inc, links }) =>
      `<p class="chain" data-incident="${inc.id}">${escapeHtml(`${inc.host}: ${chainSummary(links)}`)}</p>`,
  );
  const s = report.stats;
  h.push(
    `<p class="mut">${s.events} events from ${s.records} records in ${s.inputs} input(s); ${s.unparsed} unparsed lines. Times UTC.</p></header>`,
  );
  return h;
}

/** The time axis and a lane per family, a marker per event; the tooltip the script fills. */
function lanesSection(events: readonly TimelineEvent[]): string[] {
  const axis = layout(events);
  const families = FAMILIES.filter((f) => events.some((e) => e.families.includes(f)));
  const h = ['<section id="timeline" aria-label="timeline"><div class="axis">'];
  for (const t of axis.ticks)
    h.push(`<span class="tick" style="left:${t.x.toFixed(2)}%">${escapeHtml(t.label)}</span>`);
  h.push('</div>');
  for (const f of families) {
    h.push(`<div class="lane" data-family="${f}"><div class="lane-label">${f}</div><div class="track">`);
    for (const b of axis.breaks)
      h.push(
        `<div class="break" style="left:${b.x.toFixed(2)}%"><span>${escapeHtml(formatDuration(b.gap))} cut</span></div>`,
      );
    // An event sits in the lane of what failed first; its other families get a hollow marker.
    for (const p of axis.placed.filter((q) => q.event.families.includes(f))) h.push(marker(p, f));
    h.push('</div></div>');
  }
  h.push('</section><div id="tip" role="tooltip" hidden></div>');
  return h;
}

function marker(p: Placed, lane: string): string {
  const e = p.event;
  const also = e.family === lane ? '' : ' also';
  const when = formatTime(e.time, e.timeQuality);
  const summary = `${when} ${e.host ?? '?'} — ${e.summary}`;
  return (
    `<button type="button" class="marker${also} sev-${e.severity}" data-event="${e.id}" data-signature="${escapeHtml(e.signature)}"` +
    ` data-summary="${escapeHtml(summary)}" data-raw="${escapeHtml(e.message)}" title="${escapeHtml(e.message)}"` +
    ` aria-label="${escapeHtml(summary)}" style="left:${p.x.toFixed(2)}%;top:${4 + p.row * 9}px"></button>`
  );
}

function chainSection(events: readonly TimelineEvent[], chains: IncidentChain[]): string[] {
  const h = ['<section id="chain"><h2>Cascade chain</h2>'];
  if (chains.length === 0) h.push('<p class="mut">No incident touched more than one layer.</p>');
  for (const { inc, links } of chains) {
    h.push(`<h3>${escapeHtml(`Incident ${inc.id + 1} on ${inc.host}`)}</h3><ol>`);
    for (const l of links) {
      const ev = events[l.firstEvidence.event]!;
      h.push(
        `<li class="link" data-from="${l.from}" data-to="${l.to}"><strong>${escapeHtml(`${LAYER_LABELS[l.from]} → ${LAYER_LABELS[l.to]}`)}</strong>` +
          ` <span class="rel-${l.relation}">${l.relation}</span>: ${escapeHtml(l.why)}` +
          ` <a href="#ev-${ev.id}">${escapeHtml(`${shortFile(ev.source.file)}:${ev.source.line}`)}</a></li>`,
      );
    }
    h.push('</ol>');
  }
  h.push('</section>');
  return h;
}

function hypothesesSection(report: TimelineReport): string[] {
  if (report.hypotheses.length === 0) return [];
  const h = ['<section id="hypotheses"><h2>Hypotheses</h2>'];
  for (const hy of report.hypotheses) {
    h.push(`<h3>${escapeHtml(`${hy.host}: ${hy.question}`)}</h3><ol>`);
    for (const x of hy.explanations) {
      h.push(
        `<li class="explanation" data-id="${escapeHtml(x.id)}" data-status="${x.status}">${escapeHtml(x.claim)} <em>${x.status}</em><ul>`,
      );
      for (const [kind, list] of [
        ['for', x.for],
        ['against', x.against],
      ] as const)
        for (const e of list)
          h.push(
            `<li class="${kind}">${kind}: ${escapeHtml(e.why)} <a href="#ev-${e.event}">${escapeHtml(`${shortFile(e.source.file)}:${e.source.line}`)}</a></li>`,
          );
      for (const n of x.notes) h.push(`<li class="note">note: ${escapeHtml(n)}</li>`);
      for (const f of x.fetch)
        h.push(
          `<li class="fetch">to check ${escapeHtml(f.what)}: <code>${escapeHtml(f.command)}</code></li>`,
        );
      h.push('</ul></li>');
    }
    h.push('</ol>');
  }
  h.push('</section>');
  return h;
}

/** Every event with its folded lines; the row ids are what markers and links jump to. */
function eventsSection(events: readonly TimelineEvent[]): string[] {
  const h = [
    '<section id="events"><h2>Events</h2><table><thead><tr><th>Time</th><th>Host</th><th>Family</th><th>What</th><th>Source</th><th>Line</th></tr></thead><tbody>',
  ];
  for (const e of events) {
    const lines = [e.message, ...e.folded.map((f) => f.message)].map(escapeHtml).join('\n');
    h.push(
      `<tr id="ev-${e.id}" data-family="${e.family}"><td>${escapeHtml(formatTime(e.time, e.timeQuality))}</td><td>${escapeHtml(e.host ?? '?')}</td>` +
        `<td>${e.families.join(' → ')}</td><td>${escapeHtml(e.summary)}</td><td>${escapeHtml(`${e.source.file}:${e.source.line}`)}</td><td><code>${lines}</code></td></tr>`,
    );
  }
  h.push('</tbody></table></section>');
  return h;
}

function inferredSection(report: TimelineReport): string[] {
  if (report.inferred.length === 0) return [];
  return [
    '<section id="inferred"><h2>What is inferred</h2><ul>',
    ...report.inferred.map((n) => `<li>${escapeHtml(n)}</li>`),
    '</ul></section>',
  ];
}
