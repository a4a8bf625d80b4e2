/**
 * resolv.conf(5): `nameserver` lines (glibc reads at most 3), `options timeout:N attempts:N rotate`
 * (defaults 5 s and 2; later settings win). RES_OPTIONS in the environment is out of scope.
 */
import type { ResolvConf } from './facts.ts';
import type { NodeFile } from './rootfs.ts';

export const RESOLV_CONF_PATHS = ['/etc/resolv.conf', '/run/systemd/resolve/resolv.conf'];
/** The systemd-resolved stub listener. */
export const RESOLVED_STUB = '127.0.0.53';
export const GLIBC_DEFAULT_TIMEOUT = 5;
export const GLIBC_DEFAULT_ATTEMPTS = 2;
export const GLIBC_MAXNS = 3;

export function parseResolvConf(f: NodeFile): ResolvConf {
  const out: ResolvConf = {
    path: f.path,
    target: f.target,
    nameservers: [],
    timeout: undefined,
    attempts: undefined,
    rotate: undefined,
  };
  f.text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/[#;].*/, '').trim();
    const [key, ...rest] = line.split(/\s+/);
    const location = { file: f.path, line: i + 1 };
    if (key === 'nameserver' && rest[0]) out.nameservers.push({ value: rest[0], location });
    if (key !== 'options') return;
    for (const opt of rest) {
      const m = /^(timeout|attempts):(\d+)$/.exec(opt);
      if (m) out[m[1] as 'timeout' | 'attempts'] = { value: Number(m[2]), location };
      if (opt === 'rotate') out.rotate = { value: true, location };
    }
  });
  return out;
}

export function isStubOnly(r: ResolvConf): boolean {
  return r.nameservers.length > 0 && r.nameservers.every((n) => n.value === RESOLVED_STUB);
}
