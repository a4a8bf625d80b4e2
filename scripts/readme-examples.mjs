// README examples come from real runs: every block between
//   <!-- example[ from="REGEX"][ head=N]: faultline ARGS -->  and  <!-- /example -->
// is the output of `faultline ARGS` run from the repository root (from source, through tsx; TZ=UTC,
// NO_COLOR). `from` starts at the first line matching REGEX, `head` keeps N lines and marks the cut.
// Usage: node scripts/readme-examples.mjs [--write] [FILE.md ...]   (default README.md)
// Without --write it checks and exits 1 naming every example whose output drifted.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OPEN = /^<!-- example((?:\s+\w+=(?:"[^"]*"|\S+))*):\s*faultline\s+(.+?)\s*-->$/;
const CLOSE = '<!-- /example -->';

/** Split a command line into words: whitespace-separated, with '…' or "…" quoting. */
export function words(line) {
  const out = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function options(text) {
  const o = {};
  for (const m of text.matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)) o[m[1]] = m[2] ?? m[3];
  return o;
}

/** Run one example and return the fenced block that shows it. */
export function render(argsText, opts) {
  const args = words(argsText);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', FORCE_COLOR: '0', COLUMNS: '120' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  let lines = r.stdout.replace(/\s+$/, '').split('\n');
  if (opts.from) {
    const i = lines.findIndex((l) => new RegExp(opts.from).test(l));
    if (i < 0) throw new Error(`example 'faultline ${argsText}': no output line matches from="${opts.from}"`);
    lines = ['…', ...lines.slice(i)];
  }
  if (opts.head && lines.length > Number(opts.head)) lines = [...lines.slice(0, Number(opts.head)), '…'];
  return ['```text', `$ faultline ${argsText}`, ...lines.map((l) => l.replace(/\s+$/, '')), '```'];
}

/** Regenerate every example in one Markdown text; returns the new text and the drifted commands. */
export function regenerate(text) {
  const src = text.split('\n');
  const out = [];
  const drifted = [];
  for (let i = 0; i < src.length; i++) {
    out.push(src[i]);
    const m = OPEN.exec(src[i].trim());
    if (!m) continue;
    const end = src.indexOf(CLOSE, i + 1);
    if (end < 0) throw new Error(`line ${i + 1}: example without ${CLOSE}`);
    const block = render(m[2], options(m[1]));
    if (src.slice(i + 1, end).join('\n') !== block.join('\n'))
      drifted.push(`line ${i + 1}: faultline ${m[2]}`);
    out.push(...block, CLOSE);
    i = end;
  }
  return { text: out.join('\n'), drifted };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes('--write');
  const files = process.argv.slice(2).filter((a) => a !== '--write');
  let bad = 0;
  for (const file of files.length ? files : ['README.md']) {
    const path = join(ROOT, file);
    const { text, drifted } = regenerate(readFileSync(path, 'utf8'));
    if (write) writeFileSync(path, text);
    else if (drifted.length) {
      bad += drifted.length;
      for (const d of drifted)
        console.error(`${file} ${d}: output differs (run: node scripts/readme-examples.mjs --write)`);
    }
  }
  process.exit(bad ? 1 : 0);
}
