/**
 * Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat accept the same `{text, blocks}`):
 * `text` is the notification/fallback line, `blocks` the formatted message.
 */
import { z } from 'zod';
import type { Alert } from '../alert.ts';
import { baseSinkShape, defineSink, jsonRequest } from './sink.ts';

// Slack's documented limits: header text 150 chars, section text 3000 chars.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

const ICON: Record<string, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
  resolved: ':large_green_circle:',
};

export const slackSink = defineSink({
  type: 'slack',
  schema: z.strictObject({ type: z.literal('slack'), ...baseSinkShape }),
  render(alert, config) {
    return jsonRequest(alert, new URL(config.url), config.headers, slackMessage(alert));
  },
});

export function slackMessage(alert: Alert): { text: string; blocks: unknown[] } {
  const state = alert.status === 'resolved' ? 'RESOLVED' : `FIRING ${alert.severity}`;
  const icon = ICON[alert.status === 'resolved' ? 'resolved' : alert.severity] ?? '';
  const text = `[${state}] ${alert.node}: ${alert.title}`;
  const evidence = JSON.stringify(alert.evidence, null, 1);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${state}: ${alert.title}`, HEADER_MAX) } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`${icon} ${mrkdwn(alert.message)}`, SECTION_MAX) },
    },
    {
      type: 'section',
      fields: [
        field('Node', alert.node),
        field('Check', alert.check),
        field('Severity', alert.severity),
        field('Kind', alert.kind),
      ],
    },
  ];
  if (evidence !== '{}') {
    // 6 backticks of fence + escaping can grow the text; clip the raw JSON with room to spare.
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `\`\`\`${clip(mrkdwn(evidence), SECTION_MAX - 10)}\`\`\`` },
    });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `detected ${alert.createdAt} · alert id ${mrkdwn(alert.id)}` }],
  });
  return { text, blocks };
}

function field(label: string, value: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: `*${label}*\n${clip(mrkdwn(value), 1900)}` };
}

/** Slack mrkdwn needs only these three escaped; everything else is literal. */
function mrkdwn(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
