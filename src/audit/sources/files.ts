/**
 * Files and directories → K8sObjects. Directories are walked recursively for .yaml/.yml/.json;
 * a path given explicitly is read whatever its extension; `-` is standard input.
 * Nothing here throws: every unreadable input becomes an InputProblem and the walk goes on.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { InputProblem } from '../../core/errors.ts';
import { fsMessage } from '../../host/errors.ts';
import type { K8sObject } from '../model.ts';
import { compileGlob, type ExcludePattern, isExcluded, readIgnoreFile } from './exclude.ts';
import { expandWrappers } from './gitops/index.ts';
import { expandArgoValueFiles, expandValuesFrom } from './gitops/values-from.ts';
import { parseManifests } from './yaml.ts';

// errno codes → a sentence a user understands: one helper in src/host/, used by the node reader too.
export { fsMessage };

/** Bigger files are reported, not read: real manifests are kilobytes, a 50 MB "YAML" is a mistake. */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** .yaml/.yml/.json, and Jinja-rendered YAML (`cluster.yaml.j2`: Talos configs are often kept so). */
function isManifestName(path: string): boolean {
  const lower = path.toLowerCase();
  const ext = extname(lower);
  if (MANIFEST_EXTENSIONS.has(ext)) return true;
  return ext === '.j2' && MANIFEST_EXTENSIONS.has(extname(lower.slice(0, -3)));
}
/** Bytes inspected for NUL to call a file binary (what git and grep do). */
const BINARY_SNIFF_BYTES = 8000;
const STDIN_NAME = '<stdin>';

export interface FileSourceOptions {
  maxFileBytes?: number;
  /** --exclude globs (relative to each scanned directory). */
  exclude?: readonly string[];
  /** Read for `-`. */
  stdin?: NodeJS.ReadableStream;
}

export interface FileSourceResult {
  objects: K8sObject[];
  errors: InputProblem[];
  filesScanned: number;
  /** Documents that were not Kubernetes objects (skipped quietly). */
  skipped: number;
  /** Duplicate keys, bounded reads: reported, never a failure. */
  warnings: InputProblem[];
  /** Helm/Jinja template documents skipped (not valid YAML until rendered). */
  templates: number;
  /** Files with a template document, for the summary's hint. */
  templateFiles: number;
  /** Dot-directories and dot-files not walked (.git, .github, editor state). */
  dotEntriesSkipped: number;
  /** Paths left out by --exclude / .faultlineignore. */
  excluded: number;
}

export async function readManifestPaths(
  paths: readonly string[],
  opts: FileSourceOptions = {},
): Promise<FileSourceResult> {
  const out: FileSourceResult = {
    objects: [],
    errors: [],
    filesScanned: 0,
    skipped: 0,
    warnings: [],
    templates: 0,
    templateFiles: 0,
    dotEntriesSkipped: 0,
    excluded: 0,
  };
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const seenDirs = new Set<string>();
  const flags = (opts.exclude ?? []).map((g) => compileGlob(g, '--exclude'));
  for (const p of paths) {
    if (p === '-') {
      const text = await readStream(opts.stdin ?? process.stdin);
      out.filesScanned++;
      addText(text, STDIN_NAME, out);
      continue;
    }
    const patterns = [...flags, ...(await readIgnoreFile(p, out.errors))];
    await visit({ path: p, rel: '', explicit: true, maxBytes, seenDirs, patterns }, out);
  }
  // Values held in other files (HelmRelease valuesFrom → ConfigMap / configMapGenerator).
  expandValuesFrom(out.objects, out.errors, out.warnings);
  expandArgoValueFiles(out.objects, out.errors);
  return out;
}

interface Visit {
  path: string;
  /** Relative to the path given on the command line, `/`-separated ('' for the path itself). */
  rel: string;
  explicit: boolean;
  maxBytes: number;
  seenDirs: Set<string>;
  patterns: readonly ExcludePattern[];
}

/** What reading one path produced: a directory to walk, a file's bytes, or nothing (reported). */
type Loaded = ({ kind: 'dir' } | { kind: 'file'; buf: Buffer } | { kind: 'none'; excluded?: boolean }) & {
  problems: InputProblem[];
};

/** Files read ahead of the parser: I/O overlaps parsing, results are still consumed in order. */
const READ_AHEAD = 8;

async function visit(v: Visit, out: FileSourceResult): Promise<void> {
  await consume(v, await load(v), out);
}

/** stat + exclusion + size checks + read. Never throws; problems go to `out.errors`. */
/** Problems are kept on the result and reported when consumed, so read-ahead keeps their order. */
async function load(v: Visit): Promise<Loaded> {
  const { path, explicit, maxBytes } = v;
  const problems: InputProblem[] = [];
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path); // follows symlinks; a symlink loop fails here with ELOOP
  } catch (err) {
    problems.push({ file: path, message: fsMessage(err) });
    return { kind: 'none', problems };
  }
  if (!explicit && isExcluded(v.patterns, v.rel, st.isDirectory()))
    return { kind: 'none', problems, excluded: true };
  if (st.isDirectory()) return { kind: 'dir', problems };
  if (!explicit && !isManifestName(path)) return { kind: 'none', problems };
  if (!st.isFile()) {
    // Opening a FIFO or a device would block or read for ever.
    problems.push({ file: path, message: 'not a regular file (FIFO, socket or device): not read' });
    return { kind: 'none', problems };
  }
  if (st.size > maxBytes) {
    problems.push({
      file: path,
      message: `file is ${mb(st.size)} MB, over the ${mb(maxBytes)} MB limit: not read`,
    });
    return { kind: 'none', problems };
  }
  try {
    return { kind: 'file', buf: await readFile(path), problems };
  } catch (err) {
    problems.push({ file: path, message: fsMessage(err) });
    return { kind: 'none', problems };
  }
}

async function consume(v: Visit, loaded: Loaded, out: FileSourceResult): Promise<void> {
  const { path, seenDirs } = v;
  for (const p of loaded.problems) out.errors.push(p);
  if (loaded.kind === 'none') {
    if (loaded.excluded) out.excluded++;
    return;
  }
  if (loaded.kind === 'dir') {
    // Directory symlinks can form cycles that stat cannot see; remember real paths.
    let real: string;
    try {
      real = await realpath(path);
    } catch (err) {
      out.errors.push({ file: path, message: fsMessage(err) });
      return;
    }
    if (seenDirs.has(real)) {
      out.errors.push({
        file: path,
        message: `directory already scanned via another path (${real}): symlink loop?`,
      });
      return;
    }
    seenDirs.add(real);
    let entries: Dirent[];
    try {
      entries = (await readdir(path, { withFileTypes: true })).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
    } catch (err) {
      out.errors.push({ file: path, message: fsMessage(err) });
      return;
    }
    const children: Visit[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) {
        out.dotEntriesSkipped++; // .git, .github and editor state: said in the summary
        continue;
      }
      // A plain file that is not a manifest needs no stat at all (most of a repo: docs, scripts).
      if (e.isFile() && !isManifestName(e.name)) continue;
      const rel = v.rel === '' ? e.name : `${v.rel}/${e.name}`;
      children.push({ ...v, path: join(path, e.name), rel, explicit: false });
    }
    const pending: Promise<Loaded>[] = [];
    for (let i = 0; i < children.length; i++) {
      while (pending.length < READ_AHEAD && i + pending.length < children.length)
        pending.push(load(children[i + pending.length]!));
      await consume(children[i]!, await pending.shift()!, out);
    }
    return;
  }
  const buf = loaded.buf;
  out.filesScanned++;
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    out.errors.push({ file: path, message: 'binary file (contains NUL bytes): not YAML, skipped' });
    return;
  }
  addText(buf.toString('utf8'), path, out);
}

function addText(text: string, file: string, out: FileSourceResult): void {
  const parsed = parseManifests(text, file);
  // Loops, not push(...xs): a spread of 130,000 objects overflows the call stack.
  for (const o of parsed.objects) out.objects.push(o);
  for (const o of expandWrappers(parsed.objects, text, out.errors)) out.objects.push(o);
  for (const e of parsed.errors) out.errors.push(e);
  for (const w of parsed.warnings) out.warnings.push(w);
  out.skipped += parsed.skipped;
  out.templates += parsed.templates;
  if (parsed.templates > 0) out.templateFiles++;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function mb(n: number): string {
  return (n / (1024 * 1024)).toFixed(n < 1024 * 1024 ? 2 : 0);
}
