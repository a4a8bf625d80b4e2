/** JSON Schema (2020-12) of `faultline blast --format json` (version 1), for consumers and the reporter's test. */
const str = { type: 'string' };
const strs = { type: 'array', items: str };
const location = {
  type: 'object',
  required: ['file', 'line'],
  properties: { file: str, line: { type: ['integer', 'null'], minimum: 1 } },
  additionalProperties: false,
};
const impact = { enum: ['hang', 'node-freeze', 'io-errors', 'cannot-start', 'degraded'] };
const freeze = { enum: ['likely', 'possible', 'none'] };
const target = {
  type: 'object',
  required: ['kind', 'id', 'value'],
  properties: { kind: { enum: ['nfs', 'dns', 'cni'] }, id: str, value: str },
  additionalProperties: false,
};
const obj = (props: Record<string, unknown>) => ({
  type: 'object',
  required: Object.keys(props),
  properties: props,
  additionalProperties: false,
});

const victim = obj({
  unit: obj({ id: str, kind: str, name: str, namespace: { type: ['string', 'null'] } }),
  role: { enum: ['direct', 'co-located', 'dependent'] },
  impact,
  how: str,
  certainty: { enum: ['expected', 'likely'] },
  via: strs,
  location,
  nodes: { type: ['array', 'null'], items: str },
  hostnames: strs,
});

const result = obj({
  target,
  summary: str,
  used: { type: 'boolean' },
  nodeFreeze: freeze,
  freezeReason: { type: ['string', 'null'] },
  nodes: obj({ known: { type: 'boolean' }, names: strs, text: str }),
  exposures: { type: 'array', items: obj({ label: str, detail: str, location }) },
  victims: { type: 'array', items: victim },
  hostnames: {
    type: 'array',
    items: obj({ hostname: str, impact, via: str, units: strs, location }),
  },
  order: strs,
  notes: strs,
  graph: obj({
    nodes: {
      type: 'array',
      items: obj({
        id: str,
        kind: { enum: ['dependency', 'mount', 'feature', 'unit', 'service', 'route', 'hostname', 'node'] },
        label: str,
        impact: { anyOf: [impact, { type: 'null' }] },
      }),
    },
    edges: {
      type: 'array',
      items: obj({ from: str, to: str, label: { type: ['string', 'null'] }, dashed: { type: 'boolean' } }),
    },
  }),
});

const count = { type: 'integer', minimum: 0 };

export const BLAST_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://faultline.dev/schemas/blast-v1.json',
  ...obj({
    version: { const: 1 },
    results: { type: 'array', items: result },
    ranking: {
      anyOf: [
        { type: 'null' },
        {
          type: 'array',
          items: obj({
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
      items: obj({ file: str, line: { type: ['integer', 'null'] }, message: str }),
    },
    stats: obj({
      filesScanned: count,
      objects: count,
      units: count,
      routes: count,
      budgetSeconds: { type: 'number' },
    }),
  }),
} as const;
