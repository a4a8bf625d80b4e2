/** Generic webhook: the Alert as JSON plus a schema version, for receivers written against faultline. */
import { z } from 'zod';
import { baseSinkShape, defineSink, jsonRequest } from './sink.ts';

/** Bumped only on an incompatible change of the body; receivers can branch on it. */
export const WEBHOOK_BODY_VERSION = '1';

export const webhookSink = defineSink({
  type: 'webhook',
  schema: z.strictObject({ type: z.literal('webhook'), ...baseSinkShape }),
  render(alert, config) {
    return jsonRequest(alert, new URL(config.url), config.headers, {
      version: WEBHOOK_BODY_VERSION,
      ...alert,
    });
  },
});
