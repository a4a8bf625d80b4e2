import { CATALOG, type Registered } from './catalog.ts';

const PRINTK_STAMP = /^\[\s*\d+\.\d+\] ?/;

/**
 * kern.log and `dmesg` through syslog keep the kernel's own `[seconds.micros]` stamp in the message;
 * the signatures see the message without it (the evidence keeps it).
 */
export function stripPrintkStamp(message: string): string {
  return message.charCodeAt(0) === 91 /* [ */ ? message.replace(PRINTK_STAMP, '') : message;
}

export interface Classification {
  signature: Registered;
  fields: Record<string, string>;
}

function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One regex for "contains any needle", shaped as a trie (`n(?:fs|ot responding)|…`): the engine then
 * picks the branch by the next character instead of trying every needle at every position, about twice
 * as fast as a flat alternation on real logs. A needle that extends a shorter one is dropped: the
 * shorter one already matches.
 */
export function needleRegex(needles: readonly string[]): RegExp {
  // The alternatives for a set of suffixes; [''] when one of them is already complete.
  const build = (words: string[]): string[] => {
    if (words.includes('')) return [''];
    const groups = new Map<string, string[]>();
    for (const w of words) {
      const rest = groups.get(w[0]!);
      if (rest) rest.push(w.slice(1));
      else groups.set(w[0]!, [w.slice(1)]);
    }
    return [...groups].map(([first, rest]) => {
      const tail = build(rest);
      return escapeLiteral(first) + (tail.length > 1 ? `(?:${tail.join('|')})` : tail[0]!);
    });
  };
  return new RegExp(build([...new Set(needles)]).join('|'));
}

/**
 * Matches messages against the catalog. Almost every line of a real log matches nothing, so one
 * regex of every signature's literal needles runs first and rejects those lines without touching
 * a single catalog regex; only lines with a needle pay for the signatures that own it.
 */
export class Classifier {
  readonly #catalog: readonly Registered[];
  readonly #prefilter: RegExp;

  constructor(catalog: readonly Registered[] = CATALOG) {
    this.#catalog = catalog;
    this.#prefilter = needleRegex(catalog.flatMap((s) => s.needles));
  }

  /** True when the message could match some signature (the cheap test alone). */
  mayMatch(message: string): boolean {
    return this.#prefilter.test(message);
  }

  classify(text: string, program?: string): Classification | undefined {
    if (!this.#prefilter.test(text)) return undefined;
    const message = stripPrintkStamp(text);
    for (const s of this.#catalog) {
      if (!s.needles.some((n) => message.includes(n))) continue;
      if (s.program && (program === undefined || !s.program.test(program))) continue;
      const m = s.pattern.exec(message);
      if (!m || s.unless?.test(message)) continue;
      return { signature: s, fields: extractFields(s, m.groups ?? {}, message) };
    }
    return undefined;
  }

  /** Every signature that matches, ignoring first-match order (the catalog test uses it for overlaps). */
  allMatches(text: string, program?: string): Registered[] {
    const message = stripPrintkStamp(text);
    return this.#catalog.filter(
      (s) =>
        (!s.program || (program !== undefined && s.program.test(program))) &&
        s.pattern.test(message) &&
        !s.unless?.test(message),
    );
  }
}

function extractFields(
  s: Registered,
  groups: Record<string, string | undefined>,
  message: string,
): Record<string, string> {
  const raw = s.fields ? s.fields(groups, message) : groups;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}
