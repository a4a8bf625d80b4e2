/** JSON Schema (2020-12) of `faultline blast --format json` (version 1), for consumers and the reporter's test. */
import { closedObject } from '../../core/json-schema.ts';

const str = { type: 'string' };
const strs = { type: 'array', items: str };
const location = closedObject({ file: str, line: { type: ['integer', 'null'], minimum: 1 } });
const impact = { enum: ['hang', 'node-freeze', 'io-errors', 'cannot-start', 'degraded'] };
const freeze = { enum: ['likely', 'possible', 'none'] };
const target = closedObject({ kind: { enum: ['nfs', 'dns', 'cni'] }, id: str, value: str });

const victim = closedObject({
  unit: closedObject({ id: str, kind: str, name: str, namespace: { type: ['string', 'null'] } }),
  role: { enum: ['direct', 'co-located', 'dependent'] },
  impact,
  how: str,
  certainty: { enum: ['expected', 'likely'] },
  via: strs,
  location,
  nodes: { type: ['array', 'null'], items: str },
  hostnames: strs,
});

const result = closedObject({
  target,
  summary: str,
  used: { type: 'boolean' },
  nodeFreeze: freeze,
  freezeReason: { type: ['string', 'null'] },
  nodes: closedObject({ known: { type: 'boolean' }, names: strs, text: str }),
  exposures: { type: 'array', items: closedObject({ label: str, detail: str, location }) },
  victims: { type: 'array', items: victim },
  hostnames: {
    type: 'array',
    items: closedObject({ hostname: str, impact, via: str, units: strs, location }),
  },
  order: strs,
  notes: strs,
  graph: closedObject({
    nodes: {
      type: 'array',
      items: closedObject({
        id: str,
        kind: { enum: ['dependency', 'mount', 'feature', 'unit', 'service', 'route', 'hostname', 'node'] },
        label: str,
        impact: { anyOf: [impact, { type: 'null' }] },
      }),
    },
    edges: {
      type: 'array',
      items: closedObject({
        from: str,
        to: str,
        label: { type: ['string', 'null'] },
        dashed: { type: 'boolean' },
      }),
    },
  }),
});

const count = { type: 'integer', minimum: 0 };

export const BLAST_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://faultline.dev/schemas/blast-v1.json',
  ...closedObject({
    version: { const: 1 },
    results: { type: 'array', items: result },
    ranking: {
      anyOf: [
        { type: 'null' },
        {
          type: 'array',
          items: closedObject({
            rank: { type: 'integer', minimum: 1 },
            target,
            nodeFreeze: freeze,
            hostnamesLost: count,
            workloadsLost: count,
            workloadsHit: count,
            summary: str,
          }),
        },
      ],
    },
    errors: {
      type: 'array',
      items: closedObject({ file: str, line: { type: ['integer', 'null'] }, message: str }),
    },
    stats: closedObject({
      filesScanned: count,
      objects: count,
      units: count,
      routes: count,
      budgetSeconds: { type: 'number' },
    }),
  }),
} as const;
