/**
 * Conditions that can never work as configured are configuration errors: exit 2 and one clear line
 * naming the file and line (issue 10 §3). Before: a port in use was exit 70 "internal error", and
 * `stateDir: /proc/x` spun at 100% CPU for ever without listening.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exitCode, spawnAgent } from './cli-agent.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-agentprod-cfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('configuration errors found at start', () => {
  it('a port in use: exit 2, one line naming file:line and the port', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      const f = config(
        'port.yaml',
        `node: n1\nstateDir: ${join(dir, 'state1')}\nlisten: 127.0.0.1:${port}\n`,
      );
      const p = spawnAgent(f);
      assert.equal(await exitCode(p, 60_000), 2, p.stderr());
      const lines = p
        .stderr()
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('{'));
      assert.equal(lines.length, 1, p.stderr());
      assert.match(
        lines[0]!,
        new RegExp(`^faultline agent: ${f}:3: listen 127\\.0\\.0\\.1:${port}: address already in use`),
      );
    } finally {
      holder.close();
    }
  });

  it('stateDir under /proc: exit 2 at once, one line naming file:line', async () => {
    const f = config('proc.yaml', 'node: n1\nlisten: 127.0.0.1:0\nstateDir: /proc/x\n');
    const p = spawnAgent(f);
    // Before the fix the process never exited (Node's recursive mkdir loops under /proc).
    assert.equal(await exitCode(p, 60_000), 2, p.stderr());
    assert.equal(
      p.stderr().trim(),
      `faultline agent: ${f}:3: stateDir /proc/x is on procfs, which holds no files: use a directory on local disk (e.g. /var/lib/faultline)`,
    );
  });

  it('stateDir that is a file: exit 2', async () => {
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    const f = config('file.yaml', `node: n1\nlisten: 127.0.0.1:0\nstateDir: ${file}/sub\n`);
    const p = spawnAgent(f);
    assert.equal(await exitCode(p, 60_000), 2, p.stderr());
    assert.match(p.stderr(), /file\.yaml:3: stateDir .*plain\/sub: a part of the path is a file/);
  });
});
