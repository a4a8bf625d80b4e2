/**
 * JSON Schema (2020-12) of `faultline timeline --format json`, for consumers and for the reporter's test.
 * Version 2 (docs/timeline.md): events name every family they are evidence for, who reported them and
 * what they hit.
 */
const source = {
  type: 'object',
  required: ['file', 'line'],
  properties: { file: { type: 'string' }, line: { type: 'integer', minimum: 1 } },
  additionalProperties: false,
};
const time = { type: ['string', 'null'], format: 'date-time' };
const layer = { enum: ['storage', 'blocked-tasks', 'dns', 'cni', 'pods', 'node', 'reboot'] };
const family = { enum: ['nfs', 'hung-task', 'dns', 'cni', 'kubelet', 'node', 'reboot'] };
const evidence = {
  type: 'object',
  required: ['event', 'time', 'source', 'message'],
  properties: { event: { type: 'integer', minimum: 0 }, time, source, message: { type: 'string' } },
  additionalProperties: false,
};

const hypothesisEvidence = {
  type: 'object',
  required: ['event', 'source', 'message', 'why'],
  additionalProperties: false,
  properties: {
    event: { type: 'integer', minimum: 0 },
    source,
    message: { type: 'string' },
    why: { type: 'string' },
  },
};

export const TIMELINE_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://faultline.dev/schemas/timeline-v2.json',
  type: 'object',
  required: [
    'version',
    'generatedAt',
    'inputs',
    'events',
    'incidents',
    'chain',
    'hypotheses',
    'errors',
    'stats',
    'inferred',
  ],
  additionalProperties: false,
  properties: {
    version: { const: 2 },
    generatedAt: { type: 'string', format: 'date-time' },
    inputs: { type: 'array', items: { type: 'string' } },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'id',
          'time',
          'timeQuality',
          'host',
          'family',
          'layer',
          'families',
          'layers',
          'reporter',
          'object',
          'signature',
          'severity',
          'fields',
          'summary',
          'source',
          'message',
          'folded',
        ],
        additionalProperties: false,
        properties: {
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
          reporter: { type: 'string' },
          object: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                required: ['kind', 'name'],
                additionalProperties: false,
                properties: {
                  kind: { enum: ['pod', 'volume', 'node', 'nfs-server', 'task', 'dns-name', 'endpoint'] },
                  name: { type: 'string' },
                },
              },
            ],
          },
          signature: { type: 'string', pattern: '^[a-z-]+\\.[a-z0-9-]+$' },
          severity: { enum: ['info', 'low', 'medium', 'high', 'critical'] },
          fields: { type: 'object', additionalProperties: { type: 'string' } },
          summary: { type: 'string' },
          source,
          message: { type: 'string' },
          folded: {
            type: 'array',
            items: {
              type: 'object',
              required: ['source', 'message'],
              properties: { source, message: { type: 'string' } },
              additionalProperties: false,
            },
          },
        },
      },
    },
    incidents: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'id',
          'host',
          'start',
          'end',
          'rebootAt',
          'events',
          'families',
          'layers',
          'nfsOutages',
          'endedBy',
          'note',
        ],
        additionalProperties: false,
        properties: {
          id: { type: 'integer' },
          host: { type: 'string' },
          start: time,
          end: time,
          rebootAt: time,
          events: { type: 'array', items: { type: 'integer' } },
          families: { type: 'array', items: family },
          layers: { type: 'array', items: layer },
          nfsOutages: {
            type: 'array',
            items: {
              type: 'object',
              required: ['server', 'start', 'end', 'startEvent', 'endEvent'],
              additionalProperties: false,
              properties: {
                server: { type: 'string' },
                start: time,
                end: time,
                startEvent: { type: 'integer' },
                endEvent: { type: ['integer', 'null'] },
              },
            },
          },
          endedBy: { enum: ['reboot', 'nfs-recovered', 'quiet', 'end-of-input'] },
          note: { type: 'string' },
        },
      },
    },
    hypotheses: {
      type: 'array',
      items: {
        type: 'object',
        required: ['incident', 'host', 'layer', 'question', 'explanations'],
        additionalProperties: false,
        properties: {
          incident: { type: 'integer', minimum: 0 },
          host: { type: 'string' },
          layer,
          question: { type: 'string' },
          explanations: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'claim', 'for', 'against', 'notes', 'status', 'fetch'],
              additionalProperties: false,
              properties: {
                id: { type: 'string' },
                claim: { type: 'string' },
                for: { type: 'array', items: hypothesisEvidence },
                against: { type: 'array', items: hypothesisEvidence },
                notes: { type: 'array', items: { type: 'string' } },
                status: { enum: ['supported', 'contradicted', 'open'] },
                fetch: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['what', 'command'],
                    additionalProperties: false,
                    properties: { what: { type: 'string' }, command: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
    chain: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'to', 'incident', 'cause', 'firstEvidence', 'relation', 'why'],
        additionalProperties: false,
        properties: {
          from: layer,
          to: layer,
          incident: { type: 'integer' },
          cause: evidence,
          firstEvidence: evidence,
          relation: { enum: ['observed', 'likely'] },
          why: { type: 'string' },
        },
      },
    },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['file', 'line', 'reason'],
        additionalProperties: false,
        properties: {
          file: { type: 'string' },
          line: { type: 'integer', minimum: 0 },
          reason: { type: 'string' },
        },
      },
    },
    stats: {
      type: 'object',
      required: ['inputs', 'records', 'events', 'unparsed', 'byFamily', 'unreadableInputs', 'droppedEvents'],
      additionalProperties: false,
      properties: {
        inputs: { type: 'integer' },
        records: { type: 'integer' },
        events: { type: 'integer' },
        unparsed: { type: 'integer' },
        byFamily: { type: 'object', propertyNames: family, additionalProperties: { type: 'integer' } },
        unreadableInputs: { type: 'integer' },
        droppedEvents: { type: 'integer' },
      },
    },
    inferred: { type: 'array', items: { type: 'string' } },
  },
} as const;
