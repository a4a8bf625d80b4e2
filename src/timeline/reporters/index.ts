import type { TimelineReport } from '../correlate/types.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';

export const FORMATS = ['markdown', 'json', 'html'] as const;
export type ReportFormat = (typeof FORMATS)[number];

const RENDERERS: Record<ReportFormat, (r: TimelineReport) => string> = {
  markdown: renderMarkdown,
  json: renderJson,
  html: renderHtml,
};

export function isReportFormat(s: string): s is ReportFormat {
  return (FORMATS as readonly string[]).includes(s);
}

export function render(report: TimelineReport, format: ReportFormat): string {
  return RENDERERS[format](report);
}
