/** Class escapes GNU grep's ERE lacks (outside brackets), and their bracket-expression forms. */
const OUTSIDE: Record<string, string> = { d: '[0-9]', D: '[^0-9]', s: '[[:space:]]', S: '[^[:space:]]' };
const INSIDE: Record<string, string> = { d: '0-9', s: '[:space:]', w: '[:alnum:]_' };

/**
 * Translate a JS RegExp written in the catalog's subset into a GNU `grep -E` pattern: groups become plain
 * groups, lazy quantifiers become greedy (a match either way), `\d` becomes `[0-9]`. Lookarounds and
 * backreferences are refused so a pattern that cannot be expressed fails loudly at load time.
 */
export function toEre(re: RegExp): string {
  const src = re.source;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (/[1-9k]/.test(n)) throw new Error(`ERE: backreference in /${src}/`);
      out += OUTSIDE[n] ?? (n === '/' ? '/' : `\\${n}`);
      i += 2;
    } else if (c === '[') {
      const [bracket, next] = readBracket(src, i);
      out += bracket;
      i = next;
    } else if (c === '(' && src[i + 1] === '?') {
      if (src[i + 2] === ':') i += 3;
      else if (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') i = src.indexOf('>', i) + 1;
      else throw new Error(`ERE: lookaround in /${src}/`);
      out += '(';
    } else if (c === '?' && /[+*?}]/.test(src[i - 1] ?? '') && src[i - 2] !== '\\') {
      i += 1; // lazy quantifier: greedy matches the same lines
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

function readBracket(src: string, start: number): [string, number] {
  let out = '[';
  let i = start + 1;
  if (src[i] === '^') {
    out += '^';
    i += 1;
  }
  let trailingDash = false;
  let closeFirst = false;
  let body = '';
  for (; i < src.length && src[i] !== ']'; i++) {
    const c = src[i]!;
    if (c !== '\\') {
      body += c;
      continue;
    }
    const n = src[++i] ?? '';
    if (INSIDE[n]) body += INSIDE[n];
    else if (n === '-') trailingDash = true;
    else if (n === ']') closeFirst = true;
    else if (/[SDW]/.test(n)) throw new Error(`ERE: negated class \\${n} inside brackets in /${src}/`);
    else body += n; // \. \/ \\ \[ are literal inside a POSIX bracket
  }
  return [`${out}${closeFirst ? ']' : ''}${body}${trailingDash ? '-' : ''}]`, i + 1];
}
