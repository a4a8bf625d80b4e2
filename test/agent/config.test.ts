import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { type ConfigContext, parseAgentConfig, parseListen } from '../../src/agent/config.ts';
import { deliveryConfigSchema } from '../../src/agent/delivery/config.ts';
import { parseDuration } from '../../src/agent/duration.ts';
import { defineProbe } from '../../src/agent/probe.ts';
import { FaultlineError } from '../../src/core/errors.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/agent-config');

// Two small probe definitions with strict schemas, standing in for the registry so these tests pin
// the config loader's own behaviour (the shipped PROBES are exercised by the example config test).
const sample = defineProbe({
  name: 'sample',
  configSchema: z.strictObject({ servers: z.array(z.string()).default([]) }),
  create: () => ({ run: async () => ({ ok: true, reason: 'ok', message: '', targets: [] }) }),
});
const other = defineProbe({
  name: 'other',
  configSchema: z.strictObject({ names: z.array(z.string()).default(['kubernetes.default']) }),
  create: () => ({ run: async () => ({ ok: true, reason: 'ok', message: '', targets: [] }) }),
});
const ctx: ConfigContext = { probes: [sample, other], alertsSchema: z.unknown(), env: { NODE_NAME: 'n1' } };

function load(name: string) {
  const file = join(FIXTURES, name);
  return parseAgentConfig(readFileSync(file, 'utf8'), file, ctx);
}

/** The FaultlineError that parsing `text` must raise. */
function parseError(text: string, file: string, c: ConfigContext = ctx): FaultlineError {
  try {
    parseAgentConfig(text, file, c);
  } catch (err) {
    assert.ok(err instanceof FaultlineError, String(err));
    return err;
  }
  assert.fail(`${file} loaded without error`);
}

function loadError(name: string): FaultlineError {
  const file = join(FIXTURES, name);
  return parseError(readFileSync(file, 'utf8'), file);
}

describe('agent config', () => {
  it('parses durations with units only', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('5s'), 5000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('5'), undefined);
    assert.equal(parseDuration('5 seconds'), undefined);
  });

  it('parses listen addresses', () => {
    assert.deepEqual(parseListen('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListen('[::1]:80'), { host: '::1', port: 80 });
    assert.deepEqual(parseListen(':9464'), { host: '0.0.0.0', port: 9464 });
    assert.equal(parseListen('localhost'), undefined);
    assert.equal(parseListen('1.2.3.4:70000'), undefined);
  });

  it('applies defaults to an empty file', () => {
    const c = parseAgentConfig('', 'empty.yaml', ctx);
    assert.deepEqual(c.listen, { host: '0.0.0.0', port: 9464 });
    assert.equal(c.node, 'n1');
    assert.equal(c.stateDir, '/var/lib/faultline');
    assert.equal(c.interval, 5000);
    assert.equal(c.timeout, 3000);
    assert.equal(c.paths.proc, '/proc');
    assert.deepEqual(c.states, { degradeAfter: 1, failAfter: 3, recoverAfter: 2 });
    assert.equal(c.kubernetes.enabled, false);
    assert.equal(c.journal.heartbeat, 30_000);
    // Every registered probe is on by default, with its own schema's defaults.
    assert.deepEqual(c.probes.sample, {
      enabled: true,
      interval: 5000,
      timeout: 3000,
      config: { servers: [] },
    });
    assert.deepEqual(c.probes.other?.config, { names: ['kubernetes.default'] });
  });

  it('loads a full config, splitting harness keys from probe keys', () => {
    const c = load('valid-full.yaml');
    assert.deepEqual(c.listen, { host: '127.0.0.1', port: 19464 });
    assert.equal(c.node, 'worker-1');
    assert.equal(c.timeout, 2500);
    assert.equal(c.paths.proc, '/host/proc');
    assert.equal(c.paths.sys, '/sys');
    assert.equal(c.paths.kmsg, '/host/dev/kmsg');
    assert.deepEqual(c.probes.sample, {
      enabled: true,
      interval: 10_000,
      timeout: 1000,
      config: { servers: ['10.0.0.5:2049'] },
    });
    assert.equal(c.probes.other?.enabled, false);
    assert.equal(c.kubernetes.enabled, true);
    assert.equal(c.kubernetes.heartbeat, 120_000);
    assert.equal(c.kubernetes.eventNamespace, 'default');
  });

  it('names an unknown top-level key with its line', () => {
    const e = loadError('invalid-unknown-key.yaml');
    assert.equal(e.location?.line, 2);
    assert.match(e.message, /^intervall: unknown key 'intervall'/);
  });

  it("reports a probe's own schema error at the offending list item", () => {
    const e = loadError('invalid-probe-value.yaml');
    assert.equal(e.location?.line, 6);
    assert.match(e.message, /^probes\.sample\.servers\[1\]: .*string/i);
  });

  it('rejects a duration without a unit at its line', () => {
    const e = loadError('invalid-duration.yaml');
    assert.equal(e.location?.line, 4);
    assert.match(e.message, /probes\.sample\.timeout: invalid duration '5 seconds'/);
  });

  it('rejects an unknown probe name and lists the known ones', () => {
    const e = loadError('invalid-unknown-probe.yaml');
    assert.equal(e.location?.line, 2);
    assert.match(e.message, /unknown probe 'sampel' \(known: sample, other\)/);
  });

  it('rejects a bad listen address', () => {
    const e = loadError('invalid-listen.yaml');
    assert.equal(e.location?.line, 1);
    assert.match(e.message, /listen: invalid listen address 'localhost'/);
  });

  it('reports broken YAML with its line', () => {
    const e = loadError('invalid-yaml.yaml');
    assert.ok(e.location?.line !== undefined && e.location.line >= 3, `line ${e.location?.line}`);
    assert.match(e.message, /^YAML: /);
  });

  it('lists every problem, not only the first', () => {
    const text = 'intervall: 5s\nlisten: nope\nprobes:\n  sample:\n    servers: [1]\n';
    const err = parseError(text, 'multi.yaml');
    const lines = err.message.split('\n');
    assert.equal(lines.length, 3, err.message);
    assert.match(err.message, /^intervall: unknown key/);
    assert.match(err.message, /multi\.yaml:2: listen/);
    assert.match(err.message, /multi\.yaml:5: probes\.sample\.servers\[0\]/);
  });

  it('refuses a probe timeout longer than its interval', () => {
    const text = 'probes:\n  sample:\n    interval: 2s\n    timeout: 3s\n';
    assert.throws(
      () => parseAgentConfig(text, 't.yaml', ctx),
      /probes\.sample\.timeout: timeout \(3000 ms\)/,
    );
  });
});

// Node's timers overflow past 2^31-1 ms (≈ 596.5 h) and fire after 1 ms instead: `interval: 600h`
// made the agent busy-loop at 1.5 cores. Such durations are refused where they are written.
describe('durations beyond the Node timer range', () => {
  const timerCtx: ConfigContext = { ...ctx, alertsSchema: deliveryConfigSchema };

  it('rejects interval: 600h with file:line', () => {
    const text = 'listen: 127.0.0.1:0\ninterval: 600h\ntimeout: 3s\n';
    const err = parseError(text, 'long.yaml', timerCtx);
    assert.equal(err.location?.file, 'long.yaml');
    assert.equal(err.location?.line, 2);
    assert.match(err.message, /^interval: duration '600h' is too long: at most 596h/);
  });

  it('rejects a too long probe interval and an alerts duration at their lines', () => {
    const text = 'probes:\n  sample:\n    interval: 597h\nalerts:\n  retry:\n    max: 36000000s\n';
    const err = parseError(text, 'long.yaml', timerCtx);
    assert.equal(err.location?.line, 3);
    assert.match(err.message, /probes\.sample\.interval: duration '597h' is too long/);
    assert.match(err.message, /long\.yaml:6: alerts\.retry\.max: duration '36000000s' is too long/);
  });

  it('accepts the longest duration a timer can hold', () => {
    const c = parseAgentConfig('interval: 596h\n', 'ok.yaml', timerCtx);
    assert.equal(c.interval, 596 * 3_600_000);
    assert.ok(c.interval <= 2 ** 31 - 1);
  });
});
