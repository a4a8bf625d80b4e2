/** The sink registry: the config schema's `type` union and the renderers both come from this list. */
import { alertmanagerSink } from './alertmanager.ts';
import { ntfySink } from './ntfy.ts';
import { slackSink } from './slack.ts';
import { webhookSink } from './webhook.ts';

export const SINKS = [webhookSink, slackSink, ntfySink, alertmanagerSink] as const;

export type SinkType = (typeof SINKS)[number]['type'];
