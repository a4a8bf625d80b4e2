/** HTML escaping for the blast page: the one implementation in src/core/escape.ts. */
export { escapeHtml, visibleControls } from '../../core/escape.ts';
