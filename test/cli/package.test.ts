import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

/** Every file `npm pack` would put in the package (what a user of `npm install faultline` gets). */
function packedFiles(): Set<string> {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  return new Set(pack!.files.map((f) => f.path));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

it('everything the help texts and the README point at is in the npm package', () => {
  const packed = packedFiles();
  const has = (p: string) =>
    packed.has(p) || [...packed].some((f) => f.startsWith(`${p.replace(/\/$/, '')}/`));
  const wanted = new Set<string>();
  // Repository paths named in the CLI's own texts (help, messages): "see examples/agent-drill.yaml".
  for (const f of sourceFiles('src')) {
    // Comments cite other projects' files too ("docs/web-configuration.md in exporter-toolkit"): skip them.
    const code = readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l))
      .join('\n');
    for (const m of code.matchAll(/(?<![\w/.])((?:examples|deploy|docs)\/[\w./-]+\w)/g)) wanted.add(m[1]!);
  }
  // Relative links in the README.
  for (const m of readFileSync('README.md', 'utf8').matchAll(/\]\((?!https?:|#)([^)#\s]+)/g))
    wanted.add(m[1]!);
  assert.ok(wanted.has('examples/agent-drill.yaml'), 'the agent help names its example config');
  const missing = [...wanted].filter((p) => !p.startsWith('src/') && !has(p));
  // src/ links point readers at the source on GitHub; the package ships the built dist/ instead.
  assert.deepEqual(missing, [], 'named in help or README but not in the package');
  // The CLI itself is built into dist/ by `prepack` (skipped in this dry run): the package must ship it.
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    files: string[];
    bin: Record<string, string>;
    scripts: Record<string, string>;
  };
  assert.ok(pkg.files.includes('dist/src') && pkg.bin.faultline!.startsWith('dist/src/'));
  assert.equal(pkg.scripts.prepack, 'npm run build');
});
