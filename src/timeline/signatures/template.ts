const PLACEHOLDER = /\{(\w+)(?:\|([^}]*))?\}/g;

/**
 * Fill `{name}` placeholders from fields. `{name|text}` reads "text" when the line did not carry the
 * field; a required field that is missing reads "?" so the gap is visible.
 */
export function renderSummary(template: string, fields: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string, fallback: string | undefined) => {
    const v = fields[name];
    return v === undefined || v === '' ? (fallback ?? '?') : v;
  });
}

/** The placeholder names a template requires (those without a `|fallback`). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].filter((m) => m[2] === undefined).map((m) => m[1]!);
}
