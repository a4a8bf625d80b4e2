/**
 * Scores the timeline on the real-world corpus the way issue 8 states its goals: expected families
 * found, the exact first line of each, families reported that are not there, and the cascade chain.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTimeline } from '../../../src/timeline/build.ts';
import { chainSummary } from '../../../src/timeline/correlate/chain.ts';
import type { TimelineReport } from '../../../src/timeline/correlate/types.ts';
import type { Family } from '../../../src/timeline/signatures/types.ts';
import type { CorpusExcerpt, CorpusLine } from './types.ts';

export interface Score {
  items: number;
  expected: number;
  found: number;
  exactFirst: number;
  falseFamilies: number;
  chains: number;
  chainsRight: number;
  /** What went wrong, one line per miss, for the test's message and the report. */
  misses: string[];
}

async function timelineOf(text: string, year = 2025): Promise<TimelineReport> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-corpus-'));
  try {
    const file = join(dir, 'excerpt.log');
    writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
    const { report } = await buildTimeline({
      inputs: [file],
      year,
      now: Date.parse(`${year}-12-31T00:00:00Z`),
      clock: () => new Date(0),
    });
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function familiesOf(r: TimelineReport): Set<Family> {
  return new Set(r.events.filter((e) => e.severity !== 'info').flatMap((e) => e.families));
}

function emptyScore(): Score {
  return {
    items: 0,
    expected: 0,
    found: 0,
    exactFirst: 0,
    falseFamilies: 0,
    chains: 0,
    chainsRight: 0,
    misses: [],
  };
}

export async function scoreLines(lines: readonly CorpusLine[]): Promise<Score> {
  const s = emptyScore();
  for (const c of lines) {
    const got = familiesOf(await timelineOf(c.line));
    s.items++;
    s.expected += c.families.length;
    const hit = c.families.filter((f) => got.has(f));
    s.found += hit.length;
    s.exactFirst += hit.length;
    const extra = [...got].filter((f) => !c.families.includes(f));
    s.falseFamilies += extra.length;
    if (hit.length < c.families.length || extra.length > 0)
      s.misses.push(`${c.url}: expected [${c.families}] got [${[...got]}] — ${c.line.slice(0, 110)}`);
  }
  return s;
}

export async function scoreExcerpts(excerpts: readonly CorpusExcerpt[]): Promise<Score> {
  const s = emptyScore();
  for (const x of excerpts) {
    const r = await timelineOf(x.text, x.year);
    const real = r.events.filter((e) => e.severity !== 'info');
    const got = familiesOf(r);
    s.items++;
    s.expected += x.families.length;
    for (const f of x.families) {
      if (!got.has(f)) {
        s.misses.push(`${x.url}: family ${f} not found`);
        continue;
      }
      s.found++;
      const first = Math.min(...real.filter((e) => e.families.includes(f)).map((e) => e.source.line));
      if (first === x.first[f]) s.exactFirst++;
      else s.misses.push(`${x.url}: first ${f} line ${first}, expected ${x.first[f]}`);
    }
    const extra = [...got].filter((f) => !x.families.includes(f));
    s.falseFamilies += extra.length;
    if (extra.length > 0) s.misses.push(`${x.url}: false families [${extra}]`);
    if (x.chain !== '') {
      s.chains++;
      const chain = r.incidents
        .map((i) => chainSummary(r.chain.filter((l) => l.incident === i.id)))
        .filter(Boolean);
      if (chain.includes(x.chain)) s.chainsRight++;
      else s.misses.push(`${x.url}: chain [${chain.join(' | ')}], expected ${x.chain}`);
    }
  }
  return s;
}

export function formatScore(name: string, s: Score): string {
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  return (
    `${name}: ${s.items} items; families found ${s.found}/${s.expected} (${pct(s.found, s.expected)}); ` +
    `exact first line ${s.exactFirst}/${s.expected} (${pct(s.exactFirst, s.expected)}); ` +
    `false families ${s.falseFamilies}; chain right ${s.chainsRight}/${s.chains} (${pct(s.chainsRight, s.chains)})`
  );
}
