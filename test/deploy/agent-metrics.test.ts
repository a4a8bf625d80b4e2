/**
 * The dashboard and alert rules are written against test/deploy/agent-metrics.ts. This test scrapes a
 * real running agent (with a real NFS server and FUSE mount to watch) so that list cannot drift from
 * what the agent exports: every faultline_* family the agent exposes must be known, and every known
 * family of the harness, delivery and each registered probe must be exposed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { timedGet } from '../../bench/lib/http.ts';
import { PROBES } from '../../src/agent/probes/index.ts';
import { METRIC_OWNERS, OPTIONAL_METRICS } from './agent-metrics.ts';
import { startWatchedAgent, type WatchedAgent } from './watched-agent.ts';

describe('the agent exports the metrics the dashboard and rules use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-metrics-'));
  let watched: WatchedAgent;
  let families: Set<string>;

  before(async () => {
    watched = await startWatchedAgent(dir);
    const scrape = await timedGet(`${watched.agent.base}/metrics`, 10_000);
    assert.equal(scrape.status, 200);
    families = new Set([...scrape.body.matchAll(/^# HELP (faultline_\w+) /gm)].map((m) => m[1]!));
  });
  after(async () => {
    await watched?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every faultline_* family in a real scrape is one the dashboard/rules list knows', () => {
    assert.ok(
      families.size > 0,
      `no faultline_* metrics; agent log:\n${readFileSync(watched.agent.logFile, 'utf8')}`,
    );
    const unknown = [...families].filter((f) => !(f in METRIC_OWNERS));
    assert.deepEqual(unknown, [], 'exported but unknown to test/deploy/agent-metrics.ts');
  });

  it('every listed family of the harness, delivery and registered probes is exported', () => {
    const running = new Set(['harness', 'delivery', ...PROBES.map((p) => p.name)]);
    const missing = Object.entries(METRIC_OWNERS)
      .filter(([name, owner]) => running.has(owner) && !OPTIONAL_METRICS.has(name) && !families.has(name))
      .map(([name, owner]) => `${name} (${owner})`);
    assert.deepEqual(missing, [], `not exported by the running agent (probes: ${[...running].join(', ')})`);
  });
});
