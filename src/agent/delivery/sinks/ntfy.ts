/**
 * ntfy (docs.ntfy.sh/publish): POST the message body to `<server>/<topic>` with Title, Priority and
 * Tags headers. Tags naming an emoji shortcode are shown as that emoji by ntfy clients.
 */
import { z } from 'zod';
import type { Alert } from '../alert.ts';
import { baseHeaders, baseSinkShape, defineSink } from './sink.ts';

const PRIORITY_BY_SEVERITY: Record<Alert['severity'], number> = { critical: 5, warning: 4, info: 3 };
const PRIORITY_NAMES: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 };

const prioritySchema = z.union([
  z.number().int().min(1).max(5),
  z.enum(['min', 'low', 'default', 'high', 'max', 'urgent']).transform((n) => PRIORITY_NAMES[n]!),
]);

export const ntfySink = defineSink({
  type: 'ntfy',
  schema: z.strictObject({
    type: z.literal('ntfy'),
    ...baseSinkShape,
    /** The topic; published to `url` + "/" + topic. */
    topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, 'ntfy topic: 1–64 of A-Z a-z 0-9 _ -'),
    /** Fixed priority (1–5 or min|low|default|high|max|urgent); default: from the alert's severity. */
    priority: prioritySchema.optional(),
    /** Extra tags added to the ones derived from the alert. */
    tags: z.array(z.string().regex(/^[^,\r\n]+$/, 'a tag has no comma or newline')).default([]),
  }),
  render(alert, config) {
    const url = new URL(config.url);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${config.topic}`;
    const resolved = alert.status === 'resolved';
    const priority = resolved ? 3 : (config.priority ?? PRIORITY_BY_SEVERITY[alert.severity]);
    const tags = [
      resolved ? 'white_check_mark' : alert.severity === 'critical' ? 'rotating_light' : 'warning',
      `faultline-${alert.kind}`,
      ...config.tags,
    ];
    return {
      url,
      headers: {
        ...baseHeaders(alert, 'text/plain; charset=utf-8', {}),
        Title: headerText(`${resolved ? 'Resolved' : alert.severity}: ${alert.node}: ${alert.title}`),
        Priority: String(priority),
        Tags: headerText(tags.join(',')),
        ...config.headers,
      },
      body: `${alert.message}\n\ncheck: ${alert.check} · node: ${alert.node} · detected: ${alert.createdAt}`,
    };
  },
});

/**
 * HTTP header values are latin-1 on the wire (Node refuses anything else); ntfy decodes RFC 2047
 * encoded-words, so non-ASCII text travels as one =?UTF-8?B?…?= word. Plain ASCII goes as is.
 */
export function headerText(s: string): string {
  const flat = s.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  return `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}
