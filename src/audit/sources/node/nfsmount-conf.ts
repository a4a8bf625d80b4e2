/**
 * /etc/nfsmount.conf (nfsmount.conf(5)): only the global section applies to every NFS mount.
 * `Soft=True` → "soft", `Hard=True` → "hard", `Timeo=100` → "timeo=100"; False drops a flag.
 */
import type { NfsMountConfDefault } from './facts.ts';

const GLOBAL = /^\[\s*NFSMount_Global_Options\s*\]$/i;

export function parseNfsMountConf(text: string, path: string): NfsMountConfDefault[] {
  const out: NfsMountConfDefault[] = [];
  let inGlobal = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    if (line.startsWith('[')) {
      inGlobal = GLOBAL.test(line);
      return;
    }
    if (!inGlobal) return;
    const eq = line.indexOf('=');
    const key = (eq === -1 ? line : line.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? undefined : line.slice(eq + 1).trim();
    const location = { file: path, line: i + 1 };
    if (value === undefined || /^true$/i.test(value)) out.push({ option: key, location });
    else if (/^false$/i.test(value)) {
      // Soft=False is how the file says hard; other false flags just turn the option off.
      if (key === 'soft') out.push({ option: 'hard', location });
    } else out.push({ option: `${key === 'defaultvers' ? 'vers' : key}=${value}`, location });
  });
  return out;
}
