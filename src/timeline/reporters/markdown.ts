import { SEVERITIES } from '../../core/severity.ts';
import { chainSummary } from '../correlate/chain.ts';
import type { Incident, TimelineEvent, TimelineReport } from '../correlate/types.ts';
import { LAYER_LABELS } from '../signatures/types.ts';
import { formatDuration, formatTime, shortFile, visibleControls } from './format.ts';

const MAX_TIMELINE_ROWS = 500;
const MAX_EVIDENCE = 200;

/**
 * Text from a log as inert Markdown (table cells, list items, bold lines, headings): one line, controls
 * visible, and every character that could start markup escaped — raw HTML (`<`), links and images
 * (`[`, `]`), emphasis, code spans, tables (`|`), entities (`&`) — plus the two things GFM autolinks
 * (`http://…`, `www.`). CommonMark lets any ASCII punctuation be backslash-escaped, so the text reads
 * the same rendered; test/timeline/reporters/markdown-inert.test.ts renders it with markdown-it.
 */
function cell(s: string): string {
  return visibleControls(s)
    .replace(/[\\`*_[\]<>|~&]/g, '\\$&')
    .replace(/:\/\//g, '\\:\\/\\/')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/[\r\n]+/g, ' ');
}

/** Inline code that survives backticks in the text. */
function code(s: string): string {
  const text = visibleControls(s).replace(/[\r\n]+/g, ' ');
  const ticks = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(ticks + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block longer than any backtick run in the lines. */
function block(lines: string[], lang = 'log'): string {
  const text = lines.map(visibleControls).join('\n');
  const ticks = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(ticks + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

function ref(e: TimelineEvent): string {
  return `${shortFile(e.source.file)}:${e.source.line}`;
}

function anchor(e: TimelineEvent): string {
  return `e${e.id + 1}`;
}

function incidentSummary(inc: Incident, events: readonly TimelineEvent[], report: TimelineReport): string[] {
  const mine = inc.events.map((id) => events[id]!);
  const lines: string[] = [];
  const span =
    inc.start !== null && inc.end !== null
      ? `${formatTime(inc.start, 'exact')} → ${formatTime(inc.end, 'exact')} (${formatDuration(inc.end - inc.start)})`
      : 'times unknown';
  lines.push(`### Incident ${inc.id + 1} on ${cell(inc.host)}: ${span}`, '');
  const links = report.chain.filter((l) => l.incident === inc.id);
  if (links.length > 0) lines.push(`- **Cascade**: ${chainSummary(links)} (${describeRelations(links)})`);
  lines.push(`- **Families**: ${inc.families.join(', ')}; ${mine.length} events; ${inc.note}.`);
  for (const o of inc.nfsOutages) {
    const back =
      o.end !== null
        ? `answered again at ${formatTime(o.end, 'exact')}`
        : 'never answered again in these logs';
    lines.push(
      `- **NFS**: server ${code(o.server)} stopped responding at ${formatTime(o.start, 'exact')} and ${back}.`,
    );
  }
  const blocked = mine.filter((e) => e.signature === 'hung-task.blocked');
  for (const e of blocked.slice(0, 5)) {
    const since = e.fields.blockedSince
      ? `, blocked since ${formatTime(Date.parse(e.fields.blockedSince), 'exact')}`
      : '';
    const frames = e.fields.frames ? ` in ${e.fields.frames}` : '';
    lines.push(
      `- **Blocked task**: ${cell(`${e.fields.task}:${e.fields.pid}`)} for more than ${cell(e.fields.seconds ?? '?')} s${cell(frames)}${since}.`,
    );
  }
  const hosts = [
    ...new Set(
      mine
        .filter((e) => e.layers.includes('dns'))
        .map((e) => e.fields.host)
        .filter(Boolean),
    ),
  ];
  if (hosts.length > 0)
    lines.push(`- **DNS**: lookups failing for ${hosts.map((h) => code(h ?? '')).join(', ')}.`);
  const sandboxes = mine.filter((e) => e.signature === 'kubelet.sandbox-failed');
  if (sandboxes.length > 0) {
    const pods = [...new Set(sandboxes.map((e) => e.fields.podRef).filter(Boolean))];
    lines.push(
      `- **Pods**: ${sandboxes.length} sandbox failures${pods.length ? ` (${cell(pods.join(', '))})` : ''}.`,
    );
  }
  const reboot = mine.find((e) => e.layer === 'reboot' && e.severity !== 'info');
  if (reboot) {
    const silent =
      inc.rebootAt !== null && inc.end !== null && inc.rebootAt - inc.end > 60_000
        ? ` — the logs are silent for ${formatDuration(inc.rebootAt - inc.end)} before it`
        : '';
    lines.push(
      `- **Reboot**: ${cell(reboot.summary)} at ${formatTime(reboot.time, reboot.timeQuality)}${silent}.`,
    );
  }
  lines.push('');
  return lines;
}

function describeRelations(links: TimelineReport['chain']): string {
  const observed = links.filter((l) => l.relation === 'observed').length;
  return `${observed} of ${links.length} links observed in the logs, the rest likely`;
}

/** The header block of a post-mortem (as docs/case-study.md's source has it): window, hosts, worst severity, status. */
function header(report: TimelineReport): string[] {
  const timed = report.events.filter((e) => e.time !== null && e.timeQuality !== 'relative');
  const failing = timed.filter((e) => e.layer !== 'reboot');
  const span = failing.length > 0 ? failing : timed;
  const lines: string[] = [];
  if (span.length > 0) {
    const first = span[0]!.time!;
    const last = span[span.length - 1]!.time!;
    lines.push(
      `- **Window**: ${formatTime(first, 'exact')} → ${formatTime(last, 'exact')} UTC (${formatDuration(last - first)})`,
    );
  }
  const hosts = [...new Set(report.events.map((e) => e.host ?? '?'))];
  lines.push(`- **Hosts**: ${hosts.map((h) => code(h)).join(', ')}`);
  const worst = [...SEVERITIES].reverse().find((s) => report.events.some((e) => e.severity === s));
  if (worst) lines.push(`- **Severity**: ${worst} (the most severe signature seen)`);
  lines.push('- **Status**: draft generated from logs — review the inferred links before publishing');
  return lines;
}

const STATUS_WORD = { supported: 'supported', contradicted: 'contradicted', open: 'open' } as const;

/**
 * "Hypotheses": each open question with its competing explanations, the lines for and against each
 * (linked to the evidence), and the command that would fetch what is missing. Paste-ready.
 */
function hypothesesSection(report: TimelineReport): string[] {
  if (report.hypotheses.length === 0) return [];
  const out = [
    '## Hypotheses',
    '',
    'Competing explanations for what the logs leave open. _supported_ = lines for it and none against; _open_ = not settled by these inputs. Run the commands to fetch the missing evidence.',
    '',
  ];
  for (const h of report.hypotheses) {
    out.push(`### ${cell(h.host)}: ${cell(h.question)}`, '');
    for (const [n, x] of h.explanations.entries()) {
      out.push(`${n + 1}. ${cell(x.claim)} — _${STATUS_WORD[x.status]}_`);
      for (const e of x.for)
        out.push(
          `   - for: ${cell(e.why)} ([${cell(`${e.source.file}:${e.source.line}`)}](#e${e.event + 1}))`,
        );
      for (const e of x.against)
        out.push(
          `   - against: ${cell(e.why)} ([${cell(`${e.source.file}:${e.source.line}`)}](#e${e.event + 1}))`,
        );
      for (const note of x.notes) out.push(`   - note: ${cell(note)}`);
      for (const f of x.fetch) out.push(`   - to check ${cell(f.what)}: ${code(f.command)}`);
    }
    out.push('');
  }
  return out;
}

/** A post-mortem draft in the usual shape (docs/case-study.md): Summary, Timeline, Cascade chain, Evidence, errors, inferences. */
export function renderMarkdown(report: TimelineReport): string {
  const out = [
    ...titleSection(report),
    ...summarySection(report),
    ...timelineSection(report.events),
    ...chainSection(report),
    ...hypothesesSection(report),
    ...evidenceSection(report.events),
    ...errorsSection(report),
    ...inferredSection(report),
  ];
  // Whatever a field or summary carried, no control byte reaches the reader's terminal.
  return visibleControls(out.join('\n'));
}

/** The title names the first incident's chain; the line under it, the inputs. */
function titleSection(report: TimelineReport): string[] {
  const main =
    report.chain.length > 0
      ? chainSummary(report.chain.filter((l) => l.incident === report.chain[0]!.incident))
      : '';
  return [
    `# Post-mortem draft${main ? `: ${main}` : ''}`,
    '',
    `Generated by \`faultline timeline\` from ${report.inputs.length} input(s): ${report.inputs.map((i) => code(i)).join(', ')}. ` +
      'Times are UTC. Every row points at its source line; links marked _likely_ are inferred (see the last section).',
    '',
  ];
}

/** The header block, then each incident worth summarising (all of them when there are few). */
function summarySection(report: TimelineReport): string[] {
  const { events } = report;
  const out = ['## Summary', ''];
  if (events.length === 0) out.push('No known failure signature matched these logs.', '');
  else out.push(...header(report), '');
  const shown = report.incidents.filter((i) => i.layers.length > 1 || report.incidents.length <= 5);
  for (const inc of shown) out.push(...incidentSummary(inc, events, report));
  if (shown.length < report.incidents.length)
    out.push(
      `(${report.incidents.length - shown.length} single-layer incidents not summarised; see the timeline.)`,
      '',
    );
  return out;
}

/** One table row an event (up to MAX_TIMELINE_ROWS), linked to its evidence when that is listed. */
function timelineSection(events: readonly TimelineEvent[]): string[] {
  const out = ['## Timeline (UTC)', ''];
  out.push('| Time | Host | Family | What | Evidence |', '| ---- | ---- | ------ | ---- | -------- |');
  for (const e of events.slice(0, MAX_TIMELINE_ROWS)) {
    const evidence = e.id < MAX_EVIDENCE ? `[${cell(ref(e))}](#${anchor(e)})` : cell(ref(e));
    out.push(
      `| ${cell(formatTime(e.time, e.timeQuality))} | ${cell(e.host ?? '?')} | ${e.families.join(' → ')} | ${cell(e.summary)} | ${evidence} |`,
    );
  }
  if (events.length > MAX_TIMELINE_ROWS)
    out.push('', `(${events.length - MAX_TIMELINE_ROWS} more events in the JSON report.)`);
  out.push('');
  return out;
}

/** Each incident's chain, link by link, with the first line on either side of the link. */
function chainSection(report: TimelineReport): string[] {
  const { events } = report;
  const out = ['## Cascade chain', ''];
  if (report.chain.length === 0)
    out.push('No incident touched more than one layer, so there is no chain to draw.', '');
  for (const inc of report.incidents) {
    const links = report.chain.filter((l) => l.incident === inc.id);
    if (links.length === 0) continue;
    out.push(`Incident ${inc.id + 1} (${cell(inc.host)}): **${chainSummary(links)}**`, '');
    for (const [n, l] of links.entries()) {
      const cause = events[l.cause.event]!;
      const ev = events[l.firstEvidence.event]!;
      out.push(
        `${n + 1}. **${LAYER_LABELS[l.from]} → ${LAYER_LABELS[l.to]}** — _${l.relation}_: ${cell(l.why)}.`,
        `   - first ${LAYER_LABELS[l.from]} line: ${formatTime(cause.time, cause.timeQuality)} [${cell(ref(cause))}](#${anchor(cause)}) ${code(cause.message)}`,
        `   - first supporting ${LAYER_LABELS[l.to]} line: ${formatTime(ev.time, ev.timeQuality)} [${cell(ref(ev))}](#${anchor(ev)}) ${code(ev.message)}`,
      );
    }
    out.push('');
  }
  return out;
}

/** The original lines of the first MAX_EVIDENCE events, each under the anchor the other sections link to. */
function evidenceSection(events: readonly TimelineEvent[]): string[] {
  const out = [
    '## Evidence',
    '',
    'The original lines, as read (folded call-trace lines follow their event).',
    '',
  ];
  for (const e of events.slice(0, MAX_EVIDENCE)) {
    out.push(`<a id="${anchor(e)}"></a>`, '');
    out.push(
      `**${formatTime(e.time, e.timeQuality)} ${cell(e.host ?? '?')} — ${e.signature}** (${cell(ref(e))})`,
      '',
    );
    out.push(block([e.message, ...e.folded.map((f) => f.message)]), '');
  }
  if (events.length > MAX_EVIDENCE)
    out.push(`(${events.length - MAX_EVIDENCE} more events in the JSON report.)`, '');
  return out;
}

/** What was read and what could not be. */
function errorsSection(report: TimelineReport): string[] {
  const out = ['## Unparsed lines and errors', ''];
  const s = report.stats;
  out.push(
    `${s.records} records read from ${s.inputs} input(s); ${s.events} events; ${s.unparsed} unparsed lines` +
      `${s.unreadableInputs ? `; ${s.unreadableInputs} input(s) unreadable` : ''}${s.droppedEvents ? `; ${s.droppedEvents} events over the cap` : ''}.`,
    '',
  );
  for (const err of report.errors) out.push(`- ${code(`${err.file}:${err.line}`)} ${cell(err.reason)}`);
  if (report.errors.length < s.unparsed + s.unreadableInputs)
    out.push(`- … (first ${report.errors.length} listed)`);
  out.push('');
  return out;
}

/** Every statement above that is not a line read: likely links and the correlator's notes. */
function inferredSection(report: TimelineReport): string[] {
  const out = ['## What is inferred', ''];
  for (const l of report.chain.filter((x) => x.relation === 'likely'))
    out.push(
      `- ${LAYER_LABELS[l.from]} → ${LAYER_LABELS[l.to]} (incident ${l.incident + 1}) is _likely_, not observed.`,
    );
  for (const note of report.inferred) out.push(`- ${note}`);
  if (report.chain.length === 0 && report.inferred.length === 0)
    out.push('- Nothing: every statement above is a line read.');
  out.push('');
  return out;
}
