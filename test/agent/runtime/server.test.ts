import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { timedGet } from '../../../bench/lib/http.ts';
import { parseAgentConfig } from '../../../src/agent/config.ts';
import { deliveryConfigSchema } from '../../../src/agent/delivery/config.ts';
import { createDelivery } from '../../../src/agent/delivery/index.ts';
import { defineProbe, type ProbeDefinition } from '../../../src/agent/probe.ts';
import { type RunningAgent, startAgent } from '../../../src/agent/runtime/agent.ts';
import { JOURNAL_FILE } from '../../../src/agent/runtime/journal.ts';
import { type FrozenMount, startFrozenMount } from '../../helpers/bindfs.ts';
import { cleanupsAfterFile, tempDir } from '../../helpers/cleanup.ts';
import { eventually } from '../../helpers/eventually.ts';
import { requireExecutable } from '../../helpers/lab.ts';
import { processState } from '../../helpers/proc.ts';

const cleanups = cleanupsAfterFile();

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const { status, body } = await timedGet(`http://127.0.0.1:${port}${path}`, 30_000);
  return { status, body };
}

const until = <T>(f: () => Promise<T | undefined>, what: string) => eventually(what, f, { ms: 30_000 });

/** A probe that never returns and ignores its signal: the worst a probe can do. */
const hang = defineProbe({
  name: 'hang',
  configSchema: z.strictObject({}),
  create: () => ({ run: () => new Promise(() => {}) }),
});

/**
 * A naive probe that stats a path through a child and waits for it with no deadline of its own —
 * on a frozen FUSE mount the child sits in the kernel for ever. The harness must contain it.
 */
function naiveStat(path: string): ProbeDefinition {
  return defineProbe({
    name: 'naive-stat',
    configSchema: z.strictObject({}),
    create: () => ({
      run: () =>
        new Promise((resolve) => {
          const child = spawn('stat', [path], { stdio: 'ignore', detached: true });
          cleanups.push(() => {
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // gone
            }
          });
          child.on('exit', (code) =>
            resolve({
              ok: true,
              reason: 'ok',
              message: '',
              targets: [
                { check: `mount:${path}`, ok: code === 0, reason: code === 0 ? 'ok' : 'error', message: '' },
              ],
            }),
          );
        }),
    }),
  });
}

async function start(
  probes: ProbeDefinition[],
  yaml: string,
): Promise<{ agent: RunningAgent; stateDir: string }> {
  const stateDir = tempDir(cleanups, 'faultline-agent-');
  const config = parseAgentConfig(
    `listen: 127.0.0.1:0\nstateDir: ${stateDir}\nnode: test-node\n${yaml}`,
    'test.yaml',
    {
      probes,
      alertsSchema: deliveryConfigSchema,
    },
  );
  const log = () => {};
  const agent = await startAgent(config, {
    probes,
    log,
    version: '0.0.0-test',
    createQueue: (registry) =>
      createDelivery(deliveryConfigSchema.parse({}), { stateDir, registry, log, node: config.node }),
  });
  cleanups.push(() => agent.stop());
  return { agent, stateDir };
}

describe('agent HTTP server', () => {
  it('serves /metrics that promtool accepts, and /readyz only after the first round', async () => {
    const promtool = requireExecutable('promtool', 'prometheus');
    const { agent, stateDir } = await start(
      [hang],
      'interval: 10s\ntimeout: 5s\nprobes:\n  hang:\n    interval: 2s\n    timeout: 300ms\n',
    );
    const port = agent.address.port;
    // The hang probe's first run has a 300 ms deadline; right after start it cannot have completed.
    assert.equal((await get(port, '/readyz')).status, 503);
    await until(async () => ((await get(port, '/readyz')).status === 200 ? true : undefined), 'readyz 200');
    const metrics = await get(port, '/metrics');
    assert.equal(metrics.status, 200);
    for (const name of [
      'faultline_probe_success{probe="hang"} 0',
      'faultline_probe_duration_seconds{probe="hang"} 0.3',
      'faultline_check_state{check="probe:hang",state="degraded"} 1',
      'faultline_node_at_risk 0',
      'faultline_build_info{version="0.0.0-test"} 1',
      'faultline_alert_outbox_pending',
    ]) {
      assert.ok(metrics.body.includes(name), `missing ${name}`);
    }
    const check = spawnSync(promtool, ['check', 'metrics'], { input: metrics.body, encoding: 'utf8' });
    assert.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}`);
    assert.equal(`${check.stdout}${check.stderr}`.trim(), '', 'promtool lint findings');
    await agent.stop();
    const records = readFileSync(join(stateDir, JOURNAL_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(records[0].t, 'start');
    assert.equal(records.at(-1).t, 'stop');
    assert.ok(records.some((r) => r.t === 'transition' && r.check === 'probe:hang'));
  });

  it('answers every /healthz while probes hang on a frozen FUSE mount with D-state processes', async () => {
    requireExecutable('bindfs', 'bindfs');
    requireExecutable('stat', 'coreutils');
    const mount: FrozenMount = await startFrozenMount();
    cleanups.push(() => mount.stop());
    const pids = await mount.spawnDState(5);
    assert.equal(pids.length, 5);
    const { agent } = await start(
      [hang, naiveStat(join(mount.mountpoint, 'file'))],
      'interval: 200ms\ntimeout: 100ms\n',
    );
    const port = agent.address.port;
    // Let several intervals pass with both probes stuck, then hammer the endpoints.
    await until(async () => {
      const m = await get(port, '/metrics');
      const skipped = /faultline_probe_runs_skipped_total\{probe="naive-stat"\} (\d+)/.exec(m.body);
      return skipped && Number(skipped[1]) >= 3 ? true : undefined;
    }, 'skipped runs of the stuck probe');
    const answers = await Promise.all(Array.from({ length: 200 }, () => get(port, '/healthz')));
    assert.equal(answers.length, 200);
    for (const a of answers) assert.deepEqual(a, { status: 200, body: 'ok\n' });
    assert.equal((await get(port, '/readyz')).status, 200);
    const m = (await get(port, '/metrics')).body;
    assert.match(m, /faultline_probe_success\{probe="naive-stat"\} 0/);
    assert.match(m, /faultline_check_state\{check="probe:naive-stat",state="ok"\} 0/);
    // The D-state processes are still stuck: the agent stayed responsive in spite of them.
    for (const pid of pids) {
      assert.equal(processState(pid), 'D');
    }
    await agent.stop();
  });

  it('answers 404 and 405 for what it does not serve', async () => {
    const { agent } = await start([], '');
    assert.equal((await get(agent.address.port, '/nope')).status, 404);
    assert.equal((await get(agent.address.port, '/')).status, 200);
    await agent.stop();
  });
});
