import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { parseAgentConfig } from '../../../src/agent/config.ts';
import type { Alert, AlertQueue } from '../../../src/agent/delivery/alert.ts';
import { defineProbe, type TargetResult } from '../../../src/agent/probe.ts';
import { startAgent } from '../../../src/agent/runtime/agent.ts';
import { eventually } from '../../helpers/eventually.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Records what the runtime hands to delivery (the AlertQueue contract, in memory). */
function recordingQueue(): AlertQueue & { alerts: Alert[] } {
  const alerts: Alert[] = [];
  return {
    alerts,
    enqueue: async (a) => {
      alerts.push(a);
    },
    pending: () => 0,
    close: async () => {},
  };
}

const until = (cond: () => boolean, what: string) => eventually(what, cond, { ms: 20_000, everyMs: 20 });

/** A probe whose targets the test sets between rounds (what a mount table does when a mount goes). */
function scriptedProbe() {
  const state: { targets: TargetResult[]; runs: number } = { targets: [], runs: 0 };
  const def = defineProbe({
    name: 'scripted',
    configSchema: z.strictObject({}),
    create: () => ({
      run: async () => {
        state.runs++;
        return { ok: true, reason: 'ok', message: '', targets: state.targets };
      },
    }),
  });
  return { def, state };
}

const hung: TargetResult = {
  check: 'mount:/mnt/a',
  ok: false,
  reason: 'hung',
  message: 'stat did not return',
};

async function start(stateDir: string, probe: ReturnType<typeof scriptedProbe>) {
  const config = parseAgentConfig(
    `listen: 127.0.0.1:0\nnode: n1\nstateDir: ${stateDir}\ninterval: 50ms\ntimeout: 40ms\nstates:\n  failAfter: 1\n  recoverAfter: 2\n`,
    't.yaml',
    { probes: [probe.def], alertsSchema: z.unknown(), env: {} },
  );
  const queue = recordingQueue();
  const agent = await startAgent(config, {
    probes: [probe.def],
    log: () => {},
    version: 't',
    createQueue: async () => queue,
  });
  return { agent, queue };
}

describe('agent runtime', () => {
  it('a failing check that vanishes from its probe resolves as gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-rt-'));
    dirs.push(dir);
    const p = scriptedProbe();
    p.state.targets = [hung];
    const { agent, queue } = await start(dir, p);
    await until(() => queue.alerts.some((a) => a.key === 'mount:/mnt/a' && a.status === 'firing'), 'firing');
    p.state.targets = []; // unmounted
    await until(
      () => queue.alerts.some((a) => a.key === 'mount:/mnt/a' && a.status === 'resolved'),
      'resolved',
    );
    const resolved = queue.alerts.find((a) => a.status === 'resolved' && a.key === 'mount:/mnt/a')!;
    assert.equal(resolved.evidence.reason, 'gone');
    await agent.stop();
  });

  it('after a restart an ongoing failure is not announced again; a check no probe reports resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-rt-'));
    dirs.push(dir);
    const p = scriptedProbe();
    p.state.targets = [hung, { ...hung, check: 'mount:/mnt/b' }];
    p.state.runs = 0;
    const first = await start(dir, p);
    await until(() => first.queue.alerts.filter((a) => a.status === 'firing').length === 2, 'two firing');
    await first.agent.stop();

    // Restart: /mnt/a is still hung (no new alert), /mnt/b is gone (resolved, reason gone).
    p.state.targets = [hung];
    const second = await start(dir, p);
    await until(
      () => second.queue.alerts.some((a) => a.key === 'mount:/mnt/b' && a.status === 'resolved'),
      'mount:/mnt/b resolved',
    );
    // Several more rounds: still nothing about /mnt/a.
    const runs = p.state.runs;
    await until(() => p.state.runs >= runs + 5, 'five more rounds');
    assert.deepEqual(
      second.queue.alerts.map((a) => `${a.key} ${a.status}`),
      ['mount:/mnt/b resolved'],
    );
    await second.agent.stop();
  });
});
