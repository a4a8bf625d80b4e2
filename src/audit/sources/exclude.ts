/**
 * `--exclude GLOB` (repeatable) and `.faultlineignore`: paths the cluster does not deploy (a
 * directory of examples, an old environment) are left out of the scan, so a default StorageClass
 * defined only there stops counting.
 *
 * Globs: `*` any run of characters but `/`, `**` any run including `/`, `?` one character, a trailing
 * `/` matches directories only. A pattern without `/` matches a name at any depth (as in
 * .gitignore); one with `/` matches the path relative to the scanned root (or the ignore file's
 * directory). `.faultlineignore` is read from each directory given on the command line: one pattern
 * a line, `#` comments; `!` negation is not supported (reported).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputProblem } from '../../core/errors.ts';

export const IGNORE_FILE = '.faultlineignore';

export interface ExcludePattern {
  glob: string;
  regex: RegExp;
  /** Matches the whole relative path (pattern has a `/` inside), else any single name. */
  anchored: boolean;
  dirOnly: boolean;
  /** Where it came from: "--exclude" or ".faultlineignore:3". */
  source: string;
}

export function compileGlob(glob: string, source: string): ExcludePattern {
  let g = glob.trim();
  const dirOnly = g.endsWith('/');
  if (dirOnly) g = g.slice(0, -1);
  if (g.startsWith('./')) g = g.slice(2);
  const anchored = g.includes('/');
  if (g.startsWith('/')) g = g.slice(1);
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      // `**/` also matches no directory at all.
      if (g[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i++;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return { glob, regex: new RegExp(`^${re}$`), anchored, dirOnly, source };
}

/** Is `rel` (relative to the scanned root, `/`-separated) excluded? */
export function isExcluded(patterns: readonly ExcludePattern[], rel: string, isDir: boolean): boolean {
  if (rel === '') return false;
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  for (const p of patterns) {
    if (p.dirOnly && !isDir) continue;
    if (p.anchored ? p.regex.test(rel) : p.regex.test(name)) return true;
  }
  return false;
}

/** `.faultlineignore` in `dir`, if any. */
export async function readIgnoreFile(dir: string, errors: InputProblem[]): Promise<ExcludePattern[]> {
  let text: string;
  try {
    text = await readFile(join(dir, IGNORE_FILE), 'utf8');
  } catch {
    return [];
  }
  const out: ExcludePattern[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('!')) {
      errors.push({
        file: join(dir, IGNORE_FILE),
        line: i + 1,
        message: `'!' negation is not supported: '${line}' ignored`,
      });
      return;
    }
    out.push(compileGlob(line, `${IGNORE_FILE}:${i + 1}`));
  });
  return out;
}
