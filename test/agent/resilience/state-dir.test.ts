/**
 * The state directory failing must never cost an alert (issue 10 §3, found by fault injection):
 * full while running, full / read-only at start, a path that can never work. A real tmpfs is filled
 * or remounted read-only; a real agent with real delivery sends to a local receiver.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FaultlineError } from '../../../src/core/errors.ts';
import { eventually } from '../../helpers/eventually.ts';
import { HUNG, startTestAgent } from './agent.ts';
import { mountTmpfs, type Tmpfs } from './tmpfs.ts';

const mounts: Tmpfs[] = [];
after(() => {
  for (const m of mounts) m.unmount();
});
function tmpfs(): Tmpfs {
  const m = mountTmpfs(512);
  mounts.push(m);
  return m;
}

const until = <T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>) =>
  eventually(what, f, { ms: 30_000, everyMs: 50 });

describe('stateDir full, read-only or impossible', () => {
  it('full while running: the alert is still sent, the condition shows and alerts, and is persisted after space returns', async () => {
    const fs = tmpfs();
    const stateDir = join(fs.dir, 'state');
    const t = await startTestAgent(stateDir);
    try {
      await until('ready', async () => (await t.get('/readyz')).status === 200);
      fs.fill();
      t.probe.state.targets = [HUNG];
      // Before the fix the firing alert was dropped with only a log line ("could not enqueue alert").
      const firing = await until('the mount alert', () =>
        t.alerts().find((a) => a.key === 'mount:/mnt/a' && a.status === 'firing'),
      );
      await until('its own alert', () =>
        t.alerts().find((a) => a.key === 'agent:state-dir' && a.status === 'firing'),
      );
      const metrics = (await t.get('/metrics')).body;
      assert.match(metrics, /^faultline_state_dir_writable 0$/m);
      assert.match(metrics, /^faultline_agent_problem\{condition="state-dir"\} 1$/m);
      assert.match(metrics, /^faultline_alert_outbox_memory_only [1-9]/m);
      const ready = await t.get('/readyz');
      assert.equal(ready.status, 503);
      assert.match(ready.body, /degraded: state-dir: .*ENOSPC/);

      fs.free();
      await until('its own alert resolved', () =>
        t.alerts().find((a) => a.key === 'agent:state-dir' && a.status === 'resolved'),
      );
      // What was held in memory is on disk now.
      await until('the alert in the outbox file', () =>
        readFileSync(join(stateDir, 'delivery/outbox.jsonl'), 'utf8').includes(firing.id),
      );
      await until('ready again', async () => (await t.get('/readyz')).status === 200);
      assert.match((await t.get('/metrics')).body, /^faultline_state_dir_writable 1$/m);
    } finally {
      await t.agent.stop();
      await t.receiver.stop();
    }
  });

  for (const how of ['read-only', 'full'] as const) {
    it(`${how} at start: starts degraded (no exit 70), sends alerts, names the cause`, async () => {
      const fs = tmpfs();
      const stateDir = join(fs.dir, 'state');
      if (how === 'full') fs.fill();
      else fs.remount('ro');
      // Before the fix: EROFS/ENOSPC from mkdir or open → "internal error", exit 70, no alerts at all.
      const t = await startTestAgent(stateDir);
      try {
        t.probe.state.targets = [HUNG];
        await until('the mount alert', () => t.alerts().find((a) => a.key === 'mount:/mnt/a'));
        const own = await until('its own alert', () => t.alerts().find((a) => a.key === 'agent:state-dir'));
        assert.match(own.title, /cannot write its state directory/);
        const ready = await t.get('/readyz');
        assert.equal(ready.status, 503);
        assert.match(ready.body, how === 'full' ? /ENOSPC/ : /EROFS/);
        const start = t.logs.find((l) => l.msg.startsWith('stateDir is not writable'));
        assert.ok(start, 'a log line names the cause');
        assert.match(String(start.fields?.cause), how === 'full' ? /ENOSPC/ : /EROFS: read-only file system/);
        assert.doesNotMatch(String(start.fields?.cause), /ENOENT/);
      } finally {
        await t.agent.stop();
        await t.receiver.stop();
      }
    });
  }

  it('a stateDir on procfs is a config error naming file:line (it used to spin at 100% CPU)', async () => {
    await assert.rejects(
      () => startTestAgent('/proc/x'),
      (err: unknown) =>
        err instanceof FaultlineError &&
        err.code === 'config' &&
        err.location?.file === 'agent.yaml' &&
        err.location.line === 3 &&
        /stateDir \/proc\/x is on procfs/.test(err.message),
    );
  });
});

describe('damaged state journal', () => {
  it('garbage in journal.jsonl is counted and reported, the readable records still count', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const stateDir = mkdtempSync(join(tmpdir(), 'fl-agentprod-journal-'));
    try {
      const start = {
        t: 'start',
        at: new Date().toISOString(),
        run: 'r1',
        boot: 'b',
        version: 't',
        node: 'n1',
      };
      const lines = [JSON.stringify(start), ...Array.from({ length: 500 }, () => '\u0000garbage{'), ''];
      writeFileSync(join(stateDir, 'journal.jsonl'), lines.join('\n'));
      // Before: the garbage was skipped without a word.
      const t = await startTestAgent(stateDir);
      try {
        const metrics = (await t.get('/metrics')).body;
        assert.match(metrics, /^faultline_journal_load_skipped\{what="unreadable_lines"\} 500$/m);
        const logged = t.logs.find((l) => /state journal damaged/.test(l.msg));
        assert.equal(logged?.fields?.unreadableLines, 500);
        // The one readable record was a run that never stopped: it is reported as an unclean end.
        assert.equal(t.agent.previous?.run, 'r1');
        assert.equal(t.agent.previous?.clean, false);
      } finally {
        await t.agent.stop();
        await t.receiver.stop();
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
