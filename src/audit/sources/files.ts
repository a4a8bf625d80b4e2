/**
 * Files and directories → K8sObjects. Directories are walked recursively for .yaml/.yml/.json;
 * a path given explicitly is read whatever its extension; `-` is standard input.
 * Nothing here throws: every unreadable input becomes an InputProblem and the walk goes on.
 */
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { InputProblem } from '../../core/errors.ts';
import { fsMessage } from '../../host/errors.ts';
import type { K8sObject } from '../model.ts';
import { expandWrappers } from './gitops/index.ts';
import { parseManifests } from './yaml.ts';

// errno codes → a sentence a user understands: one helper in src/host/, used by the node reader too.
export { fsMessage };

/** Bigger files are reported, not read: real manifests are kilobytes, a 50 MB "YAML" is a mistake. */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Bytes inspected for NUL to call a file binary (what git and grep do). */
const BINARY_SNIFF_BYTES = 8000;
const STDIN_NAME = '<stdin>';

export interface FileSourceOptions {
  maxFileBytes?: number;
  /** Read for `-`. */
  stdin?: NodeJS.ReadableStream;
}

export interface FileSourceResult {
  objects: K8sObject[];
  errors: InputProblem[];
  filesScanned: number;
  /** Documents that were not Kubernetes objects (skipped quietly). */
  skipped: number;
}

export async function readManifestPaths(
  paths: readonly string[],
  opts: FileSourceOptions = {},
): Promise<FileSourceResult> {
  const out: FileSourceResult = { objects: [], errors: [], filesScanned: 0, skipped: 0 };
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const seenDirs = new Set<string>();
  for (const p of paths) {
    if (p === '-') {
      const text = await readStream(opts.stdin ?? process.stdin);
      out.filesScanned++;
      addText(text, STDIN_NAME, out);
      continue;
    }
    await visit(p, true, maxBytes, seenDirs, out);
  }
  return out;
}

async function visit(
  path: string,
  explicit: boolean,
  maxBytes: number,
  seenDirs: Set<string>,
  out: FileSourceResult,
): Promise<void> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path); // follows symlinks; a symlink loop fails here with ELOOP
  } catch (err) {
    out.errors.push({ file: path, message: fsMessage(err) });
    return;
  }
  if (st.isDirectory()) {
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
    let names: string[];
    try {
      names = (await readdir(path)).sort();
    } catch (err) {
      out.errors.push({ file: path, message: fsMessage(err) });
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue; // .git and editor state
      await visit(join(path, name), false, maxBytes, seenDirs, out);
    }
    return;
  }
  if (!explicit && !MANIFEST_EXTENSIONS.has(extname(path).toLowerCase())) return;
  if (!st.isFile()) {
    // Opening a FIFO or a device would block or read for ever.
    out.errors.push({ file: path, message: 'not a regular file (FIFO, socket or device): not read' });
    return;
  }
  if (st.size > maxBytes) {
    out.errors.push({
      file: path,
      message: `file is ${mb(st.size)} MB, over the ${mb(maxBytes)} MB limit: not read`,
    });
    return;
  }
  let buf: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      buf = await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (err) {
    out.errors.push({ file: path, message: fsMessage(err) });
    return;
  }
  out.filesScanned++;
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    out.errors.push({ file: path, message: 'binary file (contains NUL bytes): not YAML, skipped' });
    return;
  }
  addText(buf.toString('utf8'), path, out);
}

function addText(text: string, file: string, out: FileSourceResult): void {
  const parsed = parseManifests(text, file);
  out.objects.push(...parsed.objects, ...expandWrappers(parsed.objects, text, out.errors));
  out.errors.push(...parsed.errors);
  out.skipped += parsed.skipped;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function mb(n: number): string {
  return (n / (1024 * 1024)).toFixed(n < 1024 * 1024 ? 2 : 0);
}
