/**
 * resolv.conf(5) as glibc reads it (resolv/res_init.c): a keyword counts only at the very start of a
 * line, followed by a space or tab (its MATCH macro), so an indented "  nameserver x" is ignored; a
 * line starting with ';' or '#' is a comment; a nameserver's value is its first token (an IPv6 address
 * may carry a %scope); `options timeout:N attempts:N rotate` (glibc defaults 5 s and 2; later settings
 * win). glibc uses the first MAXNS (3) nameservers; systemd-resolved's upstream file may list more and
 * resolved uses them all, so the cap is the caller's. One parser for the audit and the agent.
 */

export const GLIBC_DEFAULT_TIMEOUT = 5;
export const GLIBC_DEFAULT_ATTEMPTS = 2;
export const GLIBC_MAXNS = 3;
/** The systemd-resolved stub listener. */
export const RESOLVED_STUB = '127.0.0.53';

export interface ResolvConfValue<T> {
  value: T;
  /** 1-based line in the file. */
  line: number;
}

export interface ParsedResolvConf {
  nameservers: ResolvConfValue<string>[];
  search: ResolvConfValue<string[]> | undefined;
  timeout: ResolvConfValue<number> | undefined;
  attempts: ResolvConfValue<number> | undefined;
  rotate: ResolvConfValue<true> | undefined;
}

const keyword = (line: string, name: string) =>
  line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '\t');

export function parseResolvConf(text: string): ParsedResolvConf {
  const out: ParsedResolvConf = {
    nameservers: [],
    search: undefined,
    timeout: undefined,
    attempts: undefined,
    rotate: undefined,
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith(';') || line.startsWith('#')) return;
    const rest = () =>
      line
        .slice(line.search(/[ \t]/))
        .trim()
        .split(/[ \t]+/)
        .filter(Boolean);
    if (keyword(line, 'nameserver')) {
      const value = rest()[0];
      if (value) out.nameservers.push({ value, line: i + 1 });
    } else if (keyword(line, 'search') || keyword(line, 'domain')) {
      // The last of `search` and `domain` wins (res_init.c).
      out.search = { value: rest(), line: i + 1 };
    } else if (keyword(line, 'options')) {
      for (const opt of rest()) {
        const m = /^(timeout|attempts):(\d+)$/.exec(opt);
        if (m) out[m[1] as 'timeout' | 'attempts'] = { value: Number(m[2]), line: i + 1 };
        if (opt === 'rotate') out.rotate = { value: true, line: i + 1 };
      }
    }
  });
  return out;
}
