/**
 * A state directory the agent's user cannot write (the image runs as uid 65532; a hostPath made by
 * the kubelet is root's): before, exit 70 "internal error" and no alerts at all. Now the agent starts
 * degraded, says EACCES in /readyz and /metrics, and still sends alerts. Run as a real process under
 * setpriv, since root (the test) is never refused.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eventually } from '../../helpers/eventually.ts';
import { requireExecutable } from '../../helpers/lab.ts';
import { freePort } from '../../helpers/ports.ts';
import { startReceiver } from '../delivery/receiver.ts';
import { exitCode, spawnAgent, writeAgentConfig } from './cli-agent.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-agentprod-eacces-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('stateDir not writable by the agent’s user', () => {
  it('starts degraded as uid 65532: EACCES in /readyz and /metrics, alerts still sent', async () => {
    const setpriv = requireExecutable('setpriv', 'util-linux');
    chmodSync(dir, 0o755);
    const state = join(dir, 'state');
    mkdirSync(state, { mode: 0o755 }); // root's, like a DirectoryOrCreate hostPath
    const receiver = await startReceiver();
    const port = await freePort();
    const cfg = join(dir, 'agent.yaml');
    // A resolver that refuses (nothing listens on 127.0.0.1:1): the dns probe fails → an alert.
    writeAgentConfig(cfg, {
      port,
      stateDir: state,
      interval: '300ms',
      timeout: '250ms',
      extra: ['states: {failAfter: 1}'],
      probes: {
        dns: '{resolvConf: false, systemdResolved: false, resolvers: ["127.0.0.1:1"], names: [faultline.test]}',
      },
      receiverUrl: receiver.url,
    });
    chmodSync(cfg, 0o644);
    const agent = spawnAgent(cfg, [setpriv, '--reuid', '65532', '--regid', '65532', '--clear-groups', '--']);
    try {
      const ready = await eventually(
        '/readyz',
        async () => {
          const r = await fetch(`http://127.0.0.1:${port}/readyz`);
          return { status: r.status, body: await r.text() };
        },
        { ms: 60_000 },
      );
      assert.equal(ready.status, 503);
      assert.match(ready.body, /degraded: state-dir: .*EACCES/);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(metrics, /^faultline_state_dir_writable 0$/m);
      await eventually('a dns alert and the agent’s own', () => {
        const keys = receiver.received.map((r) => (JSON.parse(r.body) as { key: string }).key);
        return keys.some((k) => k.startsWith('dns')) && keys.includes('agent:state-dir');
      });
      assert.match(agent.stderr(), /"cause":"cannot write in [^"]+: EACCES: permission denied/);
      agent.child.kill('SIGTERM');
      assert.equal(await exitCode(agent, 30_000), 0, agent.stderr());
    } finally {
      agent.child.kill('SIGKILL');
      await receiver.stop();
    }
  });
});
