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
import { type RunningAgent, startAgent } from '../../bench/lib/agent.ts';
import { timedGet } from '../../bench/lib/http.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../bench/lib/webhook.ts';
import { PROBES } from '../../src/agent/probes/index.ts';
import { type FrozenMount, startFrozenMount } from '../helpers/bindfs.ts';
import { type Ganesha, startGanesha } from '../helpers/ganesha.ts';
import { METRIC_OWNERS, OPTIONAL_METRICS } from './agent-metrics.ts';

describe('the agent exports the metrics the dashboard and rules use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-metrics-'));
  let ganesha: Ganesha;
  let mount: FrozenMount;
  let hook: WebhookReceiver;
  let agent: RunningAgent;
  let families: Set<string>;

  before(async () => {
    ganesha = await startGanesha();
    mount = await startFrozenMount();
    hook = await startWebhookReceiver();
    agent = await startAgent(
      dir,
      { nfsServer: `${ganesha.host}:${ganesha.port}`, mountPath: mount.mountpoint, webhookUrl: hook.url },
      'source',
    );
    const scrape = await timedGet(`${agent.base}/metrics`, 10_000);
    assert.equal(scrape.status, 200);
    families = new Set([...scrape.body.matchAll(/^# HELP (faultline_\w+) /gm)].map((m) => m[1]!));
  });
  after(async () => {
    await agent?.stop();
    await hook?.close();
    await mount?.stop();
    await ganesha?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every faultline_* family in a real scrape is one the dashboard/rules list knows', () => {
    assert.ok(
      families.size > 0,
      `no faultline_* metrics; agent log:\n${readFileSync(agent.logFile, 'utf8')}`,
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
