/**
 * `--node-root DIR`: read a node's configuration into NodeFacts. Every reader keeps the path as seen
 * on the node and the line, so node findings point at `/etc/watchdog.conf:3`. Absent files are
 * normal (undefined facts); unreadable ones land in `errors`.
 */
import type { InputProblem } from '../../../core/errors.ts';
import { parseMountInfo } from '../../../host/mountinfo.ts';
import { type NodeFile, RootFs } from '../../../host/rootfs.ts';
import type { NodeFacts, SysctlValue } from './facts.ts';
import { parseFstab } from './fstab.ts';
import { KUBELET_CONFIG_PATHS, parseKubeletConf } from './kubelet.ts';
import { NFSMOUNT_CONF, NFSMOUNT_CONF_DIR, readNfsMountConfs } from './nfsmount-conf.ts';
import { RESOLV_CONF_PATHS, resolvConfFacts } from './resolv-conf.ts';
import { mergeResolved, RESOLVED_DROPIN_DIRS, RESOLVED_MAIN } from './resolved.ts';
import {
  numericSysctl,
  parseSysctlConf,
  procPath,
  SYSCTL_CONF,
  SYSCTL_DROPIN_DIRS,
  SYSCTL_KEYS,
} from './sysctl.ts';
import { parseWatchdogConf, WATCHDOG_CONF } from './watchdog.ts';

export interface NodeReadResult {
  facts: NodeFacts;
  errors: InputProblem[];
  filesScanned: number;
}

// One reader per file family, in the order their errors are reported. Each reads through `fs` (paths
// as on the node, resolved inside the root) and fills its part of the facts.
type NodeReader = (fs: RootFs, facts: NodeFacts, errors: InputProblem[]) => Promise<void>;

const readFstabFacts: NodeReader = async (fs, facts, errors) => {
  const fstab = await fs.read('/etc/fstab');
  if (!fstab) return;
  const r = parseFstab(fstab.text, fstab.path);
  facts.fstab = r.entries;
  errors.push(...r.errors);
};

const readMountFacts: NodeReader = async (fs, facts, errors) => {
  const mountinfo = await fs.read('/proc/self/mountinfo');
  if (!mountinfo) return;
  const r = parseMountInfo(mountinfo.text);
  facts.mounts = r.entries.map((e) => ({ ...e, location: { file: mountinfo.path, line: e.line } }));
  for (const e of r.errors) errors.push({ file: mountinfo.path, line: e.line, message: e.message });
};

const readNfsMountConfFacts: NodeReader = async (fs, facts, errors) => {
  const nfsConf = await fs.read(NFSMOUNT_CONF);
  const dropIns = await fs.dropIns([NFSMOUNT_CONF_DIR]);
  if (nfsConf || dropIns.length > 0)
    facts.nfsmountConf = readNfsMountConfs(nfsConf ? [nfsConf, ...dropIns] : dropIns, errors);
};

const readResolverFacts: NodeReader = async (fs, facts) => {
  const resolvedMain = await fs.read(RESOLVED_MAIN);
  const resolvedDropIns = await fs.dropIns(RESOLVED_DROPIN_DIRS);
  facts.resolved = mergeResolved(resolvedMain ? [resolvedMain, ...resolvedDropIns] : resolvedDropIns);
  const resolvConfs = [];
  for (const p of RESOLV_CONF_PATHS) {
    const f = await fs.read(p);
    if (f) resolvConfs.push(resolvConfFacts(f));
  }
  facts.resolvConfs = resolvConfs.length > 0 ? resolvConfs : undefined;
};

const readWatchdogFacts: NodeReader = async (fs, facts) => {
  const wd = await fs.read(WATCHDOG_CONF);
  if (wd) facts.watchdog = parseWatchdogConf(wd);
};

// Drop-ins, then sysctl.conf, then the live /proc value: the later source wins, as at boot.
const readSysctlFacts: NodeReader = async (fs, facts) => {
  const sysctls: Record<string, SysctlValue> = {};
  for (const f of await fs.dropIns(SYSCTL_DROPIN_DIRS)) parseSysctlConf(f, sysctls);
  const sysctlConf = await fs.read(SYSCTL_CONF);
  if (sysctlConf) parseSysctlConf(sysctlConf, sysctls);
  for (const key of SYSCTL_KEYS) {
    const f = await fs.read(procPath(key));
    if (f && f.text.trim() !== '')
      sysctls[key] = { value: f.text.trim(), location: { file: f.path, line: 1 }, source: 'proc' };
  }
  facts.sysctls = Object.keys(sysctls).length > 0 ? sysctls : undefined;
};

const readKubeletFacts: NodeReader = async (fs, facts, errors) => {
  for (const p of KUBELET_CONFIG_PATHS) {
    const f = await fs.read(p);
    if (f) {
      facts.kubelet = parseKubeletConf(f, errors);
      return;
    }
  }
};

// systemd-system.conf(5) and systemd's standard-conf: the first system.conf found in /etc, /run,
// /usr/local/lib, /usr/lib, then the .conf drop-ins of the same four directories by file name.
const SYSTEM_CONF_DIRS = ['/etc/systemd', '/run/systemd', '/usr/local/lib/systemd', '/usr/lib/systemd'];

// systemd's RuntimeWatchdogSec=: the last setting read wins; empty, 0 and off disable it.
const readSystemdWatchdogFacts: NodeReader = async (fs, facts) => {
  let main: NodeFile | undefined;
  for (const dir of SYSTEM_CONF_DIRS) if (!main) main = await fs.read(`${dir}/system.conf`);
  const systemConfs = [main, ...(await fs.dropIns(SYSTEM_CONF_DIRS.map((d) => `${d}/system.conf.d`)))];
  for (const f of systemConfs) {
    if (!f) continue;
    f.text.split('\n').forEach((raw, i) => {
      const m = /^\s*RuntimeWatchdogSec\s*=\s*(\S*)\s*$/.exec(raw);
      if (!m) return;
      const v = m[1] ?? '';
      facts.runtimeWatchdogSec =
        v === '' || v === '0' || v === 'off'
          ? undefined
          : { value: v, location: { file: f.path, line: i + 1 } };
    });
  }
};

const NODE_READERS: readonly NodeReader[] = [
  readFstabFacts,
  readMountFacts,
  readNfsMountConfFacts,
  readResolverFacts,
  readWatchdogFacts,
  readSysctlFacts,
  readKubeletFacts,
  readSystemdWatchdogFacts,
];

/** `signal`: a deadline; past it the remaining files are skipped and reported (src/host/rootfs.ts). */
export async function readNodeRoot(
  root: string,
  opts: { signal?: AbortSignal } = {},
): Promise<NodeReadResult> {
  const fs = new RootFs(root, opts);
  const facts: NodeFacts = { root, fstab: undefined, mounts: undefined, nfsmountConf: undefined };
  for (const read of NODE_READERS) await read(fs, facts, fs.errors);
  return { facts, errors: fs.errors, filesScanned: fs.filesRead };
}

/**
 * Seconds the node tolerates a stuck task before something drastic happens: the smaller of
 * kernel.hung_task_timeout_secs (when > 0) and the watchdog's watchdog-timeout. Undefined when neither is known.
 */
export function nodeBudgetSeconds(facts: NodeFacts | undefined): number | undefined {
  if (!facts) return undefined;
  const candidates: number[] = [];
  const hung = numericSysctl(facts.sysctls, 'kernel.hung_task_timeout_secs');
  if (hung !== undefined && hung > 0) candidates.push(hung);
  const wd = facts.watchdog?.device ? facts.watchdog.timeout?.value : undefined;
  if (wd !== undefined && wd > 0) candidates.push(wd);
  return candidates.length > 0 ? Math.min(...candidates) : undefined;
}
