/**
 * `--format mermaid`: the dependency graph as a Mermaid flowchart, for a README or a PR comment.
 * Node ids are generated (n0, n1 …); every label from the inputs goes through `mermaidText`, which
 * turns anything but plain characters into Mermaid's `#code;` entities, so no input can close a
 * label, start a link or inject directives.
 */
import type { BlastReport, GraphNode, GraphNodeKind } from '../model.ts';

const SHAPES: Record<GraphNodeKind, [string, string]> = {
  dependency: ['(["', '"])'],
  mount: ['[("', '")]'],
  feature: ['{{"', '"}}'],
  node: ['[["', '"]]'],
  unit: ['["', '"]'],
  service: ['[/"', '"/]'],
  route: ['>"', '"]'],
  hostname: ['(["', '"])'],
};

const CLASSES = [
  'classDef dependency fill:#7a1f1f,stroke:#ff5555,color:#fff',
  'classDef hang fill:#ff5555,stroke:#7a1f1f,color:#000',
  'classDef nodefreeze fill:#ff9955,stroke:#7a3f1f,color:#000',
  'classDef ioerrors fill:#ffd866,stroke:#7a6a1f,color:#000',
  'classDef cannotstart fill:#9ecbff,stroke:#1f4f7a,color:#000',
  'classDef degraded fill:#d0d0d0,stroke:#555,color:#000',
];

/** Plain characters pass; everything else becomes `#<decimal code>;`, which Mermaid decodes in labels. */
export function mermaidText(s: string): string {
  let out = '';
  for (const ch of s) out += /[A-Za-z0-9 ._:/,=()@+*-]/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

function className(n: GraphNode): string | undefined {
  if (n.kind === 'dependency') return 'dependency';
  return n.impact ? n.impact.replace('-', '') : undefined;
}

export function renderMermaid(report: BlastReport): string {
  const lines = ['flowchart LR'];
  const many = report.results.length > 1;
  report.results.forEach((r, ri) => {
    const ids = new Map<string, string>();
    const indent = many ? '    ' : '  ';
    if (many) lines.push(`  subgraph r${ri}["${mermaidText(r.target.id)}"]`, '    direction LR');
    r.graph.nodes.forEach((n, i) => {
      const id = `r${ri}n${i}`;
      ids.set(n.id, id);
      const [open, close] = SHAPES[n.kind];
      const cls = className(n);
      lines.push(`${indent}${id}${open}${mermaidText(n.label)}${close}${cls ? `:::${cls}` : ''}`);
    });
    for (const e of r.graph.edges) {
      const from = ids.get(e.from);
      const to = ids.get(e.to);
      if (!from || !to) continue;
      const arrow = e.dashed ? '-.->' : '-->';
      lines.push(`${indent}${from} ${arrow}${e.label ? `|"${mermaidText(e.label)}"|` : ''} ${to}`);
    }
    if (r.graph.nodes.length <= 1)
      lines.push(`${indent}r${ri}empty["${mermaidText('nothing depends on it')}"]`);
    if (many) lines.push('  end');
  });
  lines.push(...CLASSES.map((c) => `  ${c}`));
  return `${lines.join('\n')}\n`;
}
