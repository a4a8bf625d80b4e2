import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { analyze } from '../../../src/timeline/analyze.ts';
import { renderJson } from '../../../src/timeline/reporters/json.ts';
import { TIMELINE_JSON_SCHEMA } from '../../../src/timeline/reporters/schema.ts';
import { Records } from '../correlate/records.ts';

describe('json reporter', () => {
  it('matches the published schema: ISO or null times, 1-based lines, errors and stats', async () => {
    const r = new Records();
    const builder = await import('../../../src/timeline/analyze.ts');
    const b = new builder.TimelineBuilder({ now: () => new Date('2026-01-01T00:00:00Z') });
    for (const rec of [
      r.at('k', 0, 'nfs: server nas not responding, still trying'),
      r.at('k', null, 'INFO: task loki:1 blocked for more than 120 seconds.'),
      { ...r.at('d', 0, 'nfs: server nas OK', { timeQuality: 'relative' }), time: 12_500 },
    ])
      b.addRecord(rec);
    b.addProblem({ file: 'k', line: 3, reason: 'no known log format' });
    b.addProblem({ file: 'missing.log', line: 0, reason: 'cannot read input: ENOENT' });
    const json = JSON.parse(renderJson(b.finish(['k', 'd', 'missing.log'])));
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const valid = ajv.validate(TIMELINE_JSON_SCHEMA, json);
    assert.ok(valid, ajv.errorsText());
    assert.equal(json.version, 2);
    assert.equal(json.generatedAt, '2026-01-01T00:00:00.000Z');
    assert.deepEqual(
      json.events.map((e: { time: string | null; relativeMs?: number; source: { line: number } }) => [
        e.time,
        e.relativeMs,
        e.source.line,
      ]),
      [
        // the relative-time event sorts first (no wall clock in its own input), then k in line order
        [null, 12_500, 1],
        ['2025-11-14T02:50:00.000Z', undefined, 1],
        [null, undefined, 2],
      ],
    );
    assert.deepEqual(json.stats, {
      inputs: 3,
      records: 3,
      events: 3,
      unparsed: 1,
      byFamily: { nfs: 2, 'hung-task': 1 },
      unreadableInputs: 1,
      droppedEvents: 0,
    });
    assert.deepEqual(json.errors[1], { file: 'missing.log', line: 0, reason: 'cannot read input: ENOENT' });
  });

  it('keeps every byte of the message (JSON escaping only)', async () => {
    const r = new Records();
    const raw = 'nfs: server "n\\as"\u0000\u001b[31m not responding, still trying';
    const json = JSON.parse(renderJson(await analyze([r.at('k', 0, raw)], ['k'])));
    assert.equal(json.events[0].message, raw);
    assert.equal(json.events[0].fields.server, '"n\\as"\u0000\u001b[31m');
  });
});
