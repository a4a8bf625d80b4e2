/**
 * 22,000 idle connections used to take every file descriptor (EMFILE), after which the mounts probe
 * could not open mountinfo and the agent raised a false node alert ("mountinfo_unreadable"). Here
 * the agent runs with a small fd limit (prlimit) so a few hundred connections reproduce it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { ProbeOutcome } from '../../../src/agent/runtime/harness.ts';
import { AgentHealth } from '../../../src/agent/runtime/self-health.ts';
import { eventually } from '../../helpers/eventually.ts';
import { freePort } from '../../helpers/ports.ts';
import { startReceiver } from '../delivery/receiver.ts';
import { exitCode, spawnAgent, writeAgentConfig } from './cli-agent.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-agentprod-conn-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function openIdle(port: number, n: number): Promise<Socket[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((resolve) => {
          const s = connect(port, '127.0.0.1');
          s.on('error', () => {});
          s.once('connect', () => resolve(s));
          s.once('close', () => resolve(s));
        }),
    ),
  );
}

describe('connection flood and the agent’s own fds', () => {
  it('hundreds of idle connections under a 128-fd limit: no EMFILE, no false node alert, still serving', async () => {
    // A fake host /proc: one mount table, no hang-prone mounts, so every alert would be a false one.
    const proc = join(dir, 'proc');
    mkdirSync(join(proc, 'self'), { recursive: true });
    writeFileSync(join(proc, 'self/mountinfo'), '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n');
    const receiver = await startReceiver();
    const port = await freePort();
    const cfg = join(dir, 'agent.yaml');
    writeAgentConfig(cfg, {
      port,
      stateDir: join(dir, 'state'),
      interval: '200ms',
      timeout: '150ms',
      extra: [`paths: {proc: ${proc}}`],
      probes: { mounts: '{runner: node}' },
      receiverUrl: receiver.url,
    });
    const agent = spawnAgent(cfg, ['prlimit', '--nofile=128:128', '--']);
    const sockets: Socket[] = [];
    try {
      await eventually(
        'agent up',
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200,
        {
          ms: 60_000,
        },
      );
      sockets.push(...(await openIdle(port, 400)));
      // Several probe rounds while the flood holds its sockets.
      await new Promise((r) => setTimeout(r, 3000));
      const logs = agent.stderr();
      assert.doesNotMatch(logs, /EMFILE|mountinfo_unreadable/, 'the agent ran out of fds');
      const alerts = receiver.received.map((r) => JSON.parse(r.body) as { key: string; evidence: unknown });
      assert.deepEqual(
        alerts.filter((a) => !a.key.startsWith('agent:')).map((a) => a.key),
        [],
        'no node alert from a connection flood',
      );
      for (const s of sockets) s.destroy();
      const health = await eventually(
        'serving again',
        async () => {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          return r.status === 200 ? r : undefined;
        },
        { ms: 30_000 },
      );
      assert.equal(health.status, 200);
      agent.child.kill('SIGTERM');
      assert.equal(await exitCode(agent, 30_000), 0);
    } finally {
      for (const s of sockets) s.destroy();
      agent.child.kill('SIGKILL');
      await receiver.stop();
    }
  });

  it('a probe failing with EMFILE is the agent’s problem: not fed to node checks, its own alert instead', () => {
    const alerts: { key: string; status: string }[] = [];
    const h = new AgentHealth({ node: 'n1', stateDir: '/var/lib/faultline', log: () => {} });
    h.attach(new Registry(), async (a) => alerts.push(a));
    const outcome = (message: string, ok: boolean): ProbeOutcome => ({
      probe: 'mounts',
      result: { ok, reason: ok ? 'ok' : 'mountinfo_unreadable', message, targets: [] },
      durationSeconds: 0.01,
      overran: false,
      firstRoundDone: true,
      startedAt: new Date(0).toISOString(),
    });
    assert.equal(
      h.isAgentFault(
        outcome(
          "cannot read the mount table (EMFILE: too many open files, open '/proc/self/mountinfo')",
          false,
        ),
      ),
      true,
    );
    assert.deepEqual(
      alerts.map((a) => [a.key, a.status]),
      [['agent:fds', 'firing']],
    );
    assert.match(h.notReadyReason() ?? '', /degraded: fds/);
    // A failure for another reason is the node's, and goes through.
    assert.equal(
      h.isAgentFault(outcome('cannot read the mount table (EACCES: permission denied)', false)),
      false,
    );
    assert.equal(h.isAgentFault(outcome('ok', true)), false);
    assert.equal(h.isAgentFault(outcome('ok', true)), false);
    assert.deepEqual(
      alerts.map((a) => [a.key, a.status]),
      [
        ['agent:fds', 'firing'],
        ['agent:fds', 'resolved'],
      ],
    );
  });
});
