/**
 * Reading a node's files under a root directory (like node_exporter's --path.rootfs). Absolute
 * symlinks are resolved inside the root, not on this machine: /etc/resolv.conf → /run/systemd/...
 * must read <root>/run/systemd/..., never the auditing host's own file. A deadline (AbortSignal)
 * stops a reader between files: past it, every further read is skipped and reported once.
 */
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { InputProblem } from '../core/errors.ts';
import { fsMessage } from './errors.ts';

const MAX_LINKS = 16;
/** Node config files are small; this bounds a mistaken --node-root pointing at something huge. */
const MAX_NODE_FILE_BYTES = 4 * 1024 * 1024;

export interface NodeFile {
  /** Path as seen on the node, e.g. /etc/resolv.conf. */
  path: string;
  /** Where the final symlink pointed, as seen on the node, when the path was a symlink. */
  target: string | undefined;
  text: string;
}

export class RootFs {
  readonly root: string;
  readonly errors: InputProblem[] = [];
  filesRead = 0;

  readonly #signal: AbortSignal | undefined;
  #deadlineReported = false;

  constructor(root: string, opts: { signal?: AbortSignal } = {}) {
    this.root = root;
    this.#signal = opts.signal;
  }

  /**
   * Resolve `nodePath` inside the root as a chroot would: every component, and every symlink met on
   * the way (absolute ones restart at the root, `..` stops at it), so no link — `<root>/etc → /etc` —
   * leads to this machine's own files. Returns the node-side path, or an error code.
   */
  async resolve(nodePath: string): Promise<{ path: string; links: number } | { code: string }> {
    let pending = posix.normalize(`/${nodePath}`).split('/').filter(Boolean);
    let resolved: string[] = [];
    let links = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '.') continue;
      if (part === '..') {
        resolved.pop(); // never above the root
        continue;
      }
      const candidate = [...resolved, part];
      let st: Awaited<ReturnType<typeof lstat>>;
      try {
        st = await lstat(join(this.root, ...candidate));
      } catch (err) {
        return { code: (err as NodeJS.ErrnoException).code ?? 'EIO' };
      }
      if (!st.isSymbolicLink()) {
        resolved = candidate;
        continue;
      }
      if (++links > MAX_LINKS) return { code: 'ELOOP' };
      const link = await readlink(join(this.root, ...candidate));
      const target = link.split('/').filter(Boolean);
      pending = [...target, ...pending];
      if (link.startsWith('/')) resolved = [];
    }
    return { path: `/${resolved.join('/')}`, links };
  }

  /** The file's text, or undefined when absent (absent files are normal; other failures are reported). */
  async read(nodePath: string): Promise<NodeFile | undefined> {
    if (this.#signal?.aborted) {
      if (!this.#deadlineReported)
        this.errors.push({ file: nodePath, message: 'deadline passed: this and later node files not read' });
      this.#deadlineReported = true;
      return undefined;
    }
    const r = await this.resolve(nodePath);
    if ('code' in r) {
      if (r.code === 'ENOENT' || r.code === 'ENOTDIR') return undefined;
      this.errors.push({
        file: nodePath,
        message:
          r.code === 'ELOOP'
            ? 'symlink loop: too many levels of symbolic links (ELOOP)'
            : fsMessage(Object.assign(new Error(r.code), { code: r.code })),
      });
      return undefined;
    }
    const host = join(this.root, r.path);
    let st: Awaited<ReturnType<typeof lstat>>;
    try {
      st = await lstat(host);
    } catch (err) {
      this.errors.push({ file: nodePath, message: fsMessage(err) });
      return undefined;
    }
    if (!st.isFile()) {
      this.errors.push({ file: nodePath, message: 'not a regular file: not read' });
      return undefined;
    }
    if (st.size > MAX_NODE_FILE_BYTES) {
      this.errors.push({
        file: nodePath,
        message: `file is ${st.size} bytes, too large for a config file: not read`,
      });
      return undefined;
    }
    try {
      const text = await readFile(host, 'utf8');
      this.filesRead++;
      return { path: nodePath, target: r.links > 0 ? r.path : undefined, text };
    } catch (err) {
      this.errors.push({ file: nodePath, message: fsMessage(err) });
      return undefined;
    }
  }

  /**
   * systemd-style drop-ins: `*.conf` from several directories, ordered by file name across all of
   * them; a name in an earlier directory masks the same name in later ones (systemd.unit(5)).
   */
  async dropIns(dirs: readonly string[], suffix = '.conf'): Promise<NodeFile[]> {
    const chosen = new Map<string, string>();
    for (const dir of dirs) {
      let names: string[];
      const inRoot = await this.resolve(dir);
      if ('code' in inRoot) continue;
      try {
        names = await readdir(join(this.root, inRoot.path));
      } catch {
        continue; // an absent drop-in directory is the common case
      }
      for (const n of names) if (n.endsWith(suffix) && !chosen.has(n)) chosen.set(n, posix.join(dir, n));
    }
    const out: NodeFile[] = [];
    for (const name of [...chosen.keys()].sort()) {
      const f = await this.read(chosen.get(name)!);
      if (f) out.push(f);
    }
    return out;
  }
}
