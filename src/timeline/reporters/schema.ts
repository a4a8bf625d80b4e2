/**
 * JSON Schema (2020-12) of `faultline timeline --format json`, for consumers and for the reporter's test.
 * Version 2 (docs/timeline.md): events name every family they are evidence for, who reported them and
 * what they hit.
 */
import { closedObject } from '../../core/json-schema.ts';

const str = { type: 'string' };
const strs = { type: 'array', items: str };
const source = closedObject({ file: str, line: { type: 'integer', minimum: 1 } });
const time = { type: ['string', 'null'], format: 'date-time' };
const layer = { enum: ['storage', 'blocked-tasks', 'dns', 'cni', 'pods', 'node', 'reboot'] };
const family = { enum: ['nfs', 'hung-task', 'dns', 'cni', 'kubelet', 'node', 'reboot'] };
const evidence = closedObject({ event: { type: 'integer', minimum: 0 }, time, source, message: str });
const hypothesisEvidence = closedObject({
  event: { type: 'integer', minimum: 0 },
  source,
  message: str,
  why: str,
});

const event = closedObject(
  {
    id: { type: 'integer', minimum: 0 },
    time,
    relativeMs: { type: 'number' },
    timeQuality: { enum: ['exact', 'inferred', 'relative', 'none'] },
    host: { type: ['string', 'null'] },
    program: { type: ['string', 'null'] },
    family,
    layer,
    families: { type: 'array', items: family, minItems: 1, uniqueItems: true },
    layers: { type: 'array', items: layer, minItems: 1 },
    reporter: str,
    object: {
      oneOf: [
        { type: 'null' },
        closedObject({
          kind: { enum: ['pod', 'volume', 'node', 'nfs-server', 'task', 'dns-name', 'endpoint'] },
          name: str,
        }),
      ],
    },
    signature: { type: 'string', pattern: '^[a-z-]+\\.[a-z0-9-]+$' },
    severity: { enum: ['info', 'low', 'medium', 'high', 'critical'] },
    fields: { type: 'object', additionalProperties: str },
    summary: str,
    source,
    message: str,
    folded: { type: 'array', items: closedObject({ source, message: str }) },
  },
  ['relativeMs', 'program'],
);

const incident = closedObject({
  id: { type: 'integer' },
  host: str,
  start: time,
  end: time,
  rebootAt: time,
  events: { type: 'array', items: { type: 'integer' } },
  families: { type: 'array', items: family },
  layers: { type: 'array', items: layer },
  nfsOutages: {
    type: 'array',
    items: closedObject({
      server: str,
      start: time,
      end: time,
      startEvent: { type: 'integer' },
      endEvent: { type: ['integer', 'null'] },
    }),
  },
  endedBy: { enum: ['reboot', 'nfs-recovered', 'quiet', 'end-of-input'] },
  note: str,
});

const hypothesis = closedObject({
  incident: { type: 'integer', minimum: 0 },
  host: str,
  layer,
  question: str,
  explanations: {
    type: 'array',
    items: closedObject({
      id: str,
      claim: str,
      for: { type: 'array', items: hypothesisEvidence },
      against: { type: 'array', items: hypothesisEvidence },
      notes: strs,
      status: { enum: ['supported', 'contradicted', 'open'] },
      fetch: { type: 'array', items: closedObject({ what: str, command: str }) },
    }),
  },
});

const link = closedObject({
  from: layer,
  to: layer,
  incident: { type: 'integer' },
  cause: evidence,
  firstEvidence: evidence,
  relation: { enum: ['observed', 'likely'] },
  why: str,
});

const count = { type: 'integer' };

export const TIMELINE_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://faultline.dev/schemas/timeline-v2.json',
  ...closedObject({
    version: { const: 2 },
    generatedAt: { type: 'string', format: 'date-time' },
    inputs: strs,
    events: { type: 'array', items: event },
    incidents: { type: 'array', items: incident },
    chain: { type: 'array', items: link },
    hypotheses: { type: 'array', items: hypothesis },
    errors: {
      type: 'array',
      items: closedObject({ file: str, line: { type: 'integer', minimum: 0 }, reason: str }),
    },
    stats: closedObject({
      inputs: count,
      records: count,
      events: count,
      unparsed: count,
      byFamily: { type: 'object', propertyNames: family, additionalProperties: count },
      unreadableInputs: count,
      droppedEvents: count,
    }),
    inferred: strs,
  }),
} as const;
