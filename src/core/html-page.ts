/**
 * The frame of a self-contained report page (timeline, blast): no network, inline CSS, and at most one
 * inline script, allowed by its hash in the Content-Security-Policy so that markup which slipped into
 * the page could not run one.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './escape.ts';

/** The page's policy: nothing fetched, inline style, `script` (when given) the only script allowed. */
export function pageCsp(script?: string): string {
  const scriptSrc =
    script === undefined
      ? ''
      : ` script-src 'sha256-${createHash('sha256').update(script).digest('base64')}';`;
  return `default-src 'none'; style-src 'unsafe-inline';${scriptSrc} img-src data:; base-uri 'none'; form-action 'none'`;
}

/** The lines up to the page's <h1>; the <header> is left open for the caller's lead paragraphs. */
export function pageHead(title: string, css: string, csp: string): string[] {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${css}</style></head><body>`,
    `<header><h1>${escapeHtml(title)}</h1>`,
  ];
}
