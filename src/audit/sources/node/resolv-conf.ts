/**
 * The node's resolv.conf files as audit facts: parsing is src/host/resolv-conf.ts (glibc's reading,
 * shared with the agent); this adds where each value was read.
 */
import { parseResolvConf, RESOLVED_STUB, type ResolvConfValue } from '../../../host/resolv-conf.ts';
import type { NodeFile } from '../../../host/rootfs.ts';
import type { ResolvConf } from './facts.ts';

export {
  GLIBC_DEFAULT_ATTEMPTS,
  GLIBC_DEFAULT_TIMEOUT,
  GLIBC_MAXNS,
  RESOLVED_STUB,
} from '../../../host/resolv-conf.ts';

export const RESOLV_CONF_PATHS = ['/etc/resolv.conf', '/run/systemd/resolve/resolv.conf'];

/** One file's values, each with the file and line it was read at. */
export function resolvConfFacts(f: NodeFile): ResolvConf {
  const p = parseResolvConf(f.text);
  const at = <T>(v: ResolvConfValue<T> | undefined) =>
    v && { value: v.value, location: { file: f.path, line: v.line } };
  return {
    path: f.path,
    target: f.target,
    nameservers: p.nameservers.map((n) => at(n)!),
    timeout: at(p.timeout),
    attempts: at(p.attempts),
    rotate: at(p.rotate),
  };
}

export function isStubOnly(r: ResolvConf): boolean {
  return r.nameservers.length > 0 && r.nameservers.every((n) => n.value === RESOLVED_STUB);
}
