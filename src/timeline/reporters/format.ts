import type { TimeQuality } from '../record.ts';

/** `2025-11-14 02:54:55` (UTC), `+12.345 s after boot`, or `—` when the line had no time. */
export function formatTime(time: number | null, quality: TimeQuality): string {
  if (time === null) return '—';
  if (quality === 'relative') return `+${(time / 1000).toFixed(3)} s after boot`;
  const iso = new Date(time).toISOString();
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '000' ? '' : `.${ms}`}`;
}

/** ISO 8601 for JSON; seconds-since-boot times stay numbers' business, so they serialise as null. */
export function isoTime(time: number | null, quality: TimeQuality = 'exact'): string | null {
  if (time === null || quality === 'relative') return null;
  return new Date(time).toISOString();
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

// A log line can carry terminal escapes or NULs: no report passes them on (src/core/escape.ts).
export { visibleControls } from '../../core/escape.ts';

/** The file name part of an input path, for compact references. */
export function shortFile(file: string): string {
  const i = file.lastIndexOf('/');
  return i >= 0 ? file.slice(i + 1) : file;
}
