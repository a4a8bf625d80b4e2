/**
 * Text from inputs (log lines, object names) shown to a person: control bytes as visible pictures, and
 * for HTML the markup characters as entities. Shared by every reporter that renders input text.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** C0 controls (but tab and newline) and DEL as their Unicode control pictures (U+2400…, U+2421). */
export function visibleControls(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) =>
    c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0)),
  );
}

/** Markup characters as entities (one table for every call), control bytes as visible pictures. */
export function escapeHtml(s: string): string {
  return visibleControls(s).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
