/** Generic webhook: the Alert as JSON plus a schema version, for receivers written against faultline. */
import { z } from 'zod';
import { baseHeaders, baseSinkShape, defineSink } from './sink.ts';

/** Bumped only on an incompatible change of the body; receivers can branch on it. */
export const WEBHOOK_BODY_VERSION = '1';

export const webhookSink = defineSink({
  type: 'webhook',
  schema: z.strictObject({ type: z.literal('webhook'), ...baseSinkShape }),
  render(alert, config) {
    return {
      url: new URL(config.url),
      headers: baseHeaders(alert, 'application/json', config.headers),
      body: JSON.stringify({ version: WEBHOOK_BODY_VERSION, ...alert }),
    };
  },
});
