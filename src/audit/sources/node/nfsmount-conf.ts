/**
 * /etc/nfsmount.conf and /etc/nfsmount.conf.d/*.conf under --node-root: parsed by the shared translator
 * (src/nfs/nfsmount-conf.ts); every section is kept, mount sites pick the ones that apply.
 */
import type { InputProblem } from '../../../core/errors.ts';
import type { NodeFile } from '../../../host/rootfs.ts';
import { parseNfsMountConf } from '../../../nfs/nfsmount-conf.ts';
import type { NfsMountConfDefault } from './facts.ts';

export const NFSMOUNT_CONF = '/etc/nfsmount.conf';
export const NFSMOUNT_CONF_DIR = '/etc/nfsmount.conf.d';

/** Files in the order mount.nfs reads them (the main file, then drop-ins by name). */
export function readNfsMountConfs(files: readonly NodeFile[], errors: InputProblem[]): NfsMountConfDefault[] {
  const out: NfsMountConfDefault[] = [];
  for (const f of files) {
    const r = parseNfsMountConf(f.text, f.path);
    out.push(...r.options);
    for (const p of r.problems)
      errors.push({ file: p.location.file, line: p.location.line, message: p.message });
  }
  return out;
}
