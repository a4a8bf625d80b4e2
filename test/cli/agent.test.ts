import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { timedGet } from '../../bench/lib/http.ts';
import { parseAgentConfig } from '../../src/agent/config.ts';
import { deliveryConfigSchema } from '../../src/agent/delivery/config.ts';
import { PROBES } from '../../src/agent/probes/index.ts';
import { JOURNAL_FILE } from '../../src/agent/runtime/journal.ts';
import { main } from '../../src/cli/main.ts';
import { otherProbesOff } from '../agent/probes-off.ts';
import { startFrozenMount } from '../helpers/bindfs.ts';
import { cleanupsAfterFile, closeServer, tempDir } from '../helpers/cleanup.ts';
import { eventually } from '../helpers/eventually.ts';
import { captureIO } from '../helpers/io.ts';
import { requireExecutable } from '../helpers/lab.ts';
import { freePort } from '../helpers/ports.ts';

const ROOT = join(import.meta.dirname, '../..');
const cleanups = cleanupsAfterFile();

const tmp = () => tempDir(cleanups, 'faultline-cli-agent-');

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const { status, body } = await timedGet(`http://127.0.0.1:${port}${path}`, 30_000);
  return { status, body };
}

const until = <T>(f: () => Promise<T | undefined> | T | undefined, what: string) =>
  eventually(what, f, { ms: 60_000, everyMs: 100 });

describe('faultline agent (CLI)', () => {
  it('prints help', async () => {
    const io = captureIO();
    assert.equal(await main(['agent', '--help'], io), 0);
    assert.match(io.out(), /Usage: faultline agent --config FILE \[--web\.config\.file FILE\] \[--once\]/);
  });

  it('requires --config', async () => {
    const io = captureIO();
    assert.equal(await main(['agent'], io), 2);
    assert.match(io.err(), /--config FILE is required/);
  });

  it('names the file, line and key of a config error', async () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'listen: 127.0.0.1:0\nprobes:\n  nfs:\n    servers: [10.0.0.5:2049]\n    retries: 3\n',
    );
    const io = captureIO({ cwd: dir });
    assert.equal(await main(['agent', '--config', 'bad.yaml'], io), 2);
    assert.equal(io.err(), `faultline agent: ${file}:5: probes.nfs.retries: unknown key 'retries'\n`);
  });

  it('reports an unreadable config file', async () => {
    const io = captureIO();
    assert.equal(await main(['agent', '--config', '/nonexistent/agent.yaml'], io), 2);
    assert.match(io.err(), /\/nonexistent\/agent\.yaml: cannot read config/);
  });

  it('--once runs one round and prints JSON: a refused NFS port fails, a local directory answers', async () => {
    const dir = tmp();
    const port = await freePort(); // nothing listens there: the kernel refuses the connection
    const file = join(dir, 'once.yaml');
    writeFileSync(
      file,
      `node: once-node\nstateDir: ${join(dir, 'state')}\nprobes:\n  nfs:\n    servers: [127.0.0.1:${port}]\n    discover: false\n` +
        `  mounts:\n    discover: false\n    paths: [${dir}]\n${otherProbesOff(['nfs', 'mounts'])}`,
    );
    const io = captureIO({ cwd: dir });
    const code = await main(['agent', '--config', file, '--once'], io);
    const report = JSON.parse(io.out());
    assert.equal(code, 1, io.err());
    assert.equal(report.node, 'once-node');
    assert.equal(report.ok, false);
    const nfs = report.probes.find((p: { probe: string }) => p.probe === 'nfs');
    const target = nfs.targets.find((t: { check: string }) => t.check === `nfs-server:127.0.0.1:${port}`);
    assert.equal(target.ok, false);
    assert.equal(target.reason, 'refused');
    const mounts = report.probes.find((p: { probe: string }) => p.probe === 'mounts');
    assert.equal(mounts.targets.find((t: { check: string }) => t.check === `mount:${dir}`).ok, true);
  });

  it('--once on a frozen FUSE mount reports it hung and exits (the stuck child does not hold it)', async () => {
    requireExecutable('bindfs', 'bindfs');
    const mount = await startFrozenMount();
    cleanups.push(() => mount.stop());
    mount.freeze();
    const dir = tmp();
    const file = join(dir, 'once.yaml');
    writeFileSync(
      file,
      `node: once-node\nstateDir: ${join(dir, 'state')}\ntimeout: 1s\nprobes:\n  mounts:\n    discover: false\n` +
        `    paths: [${mount.mountpoint}]\n${otherProbesOff(['mounts'])}`,
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'agent', '--config', file, '--once'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    cleanups.push(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // exited
      }
    });
    let out = '';
    child.stdout?.on('data', (c) => {
      out += c;
    });
    child.stderr?.resume();
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, 1);
    const report = JSON.parse(out);
    const mounts = report.probes.find((p: { probe: string }) => p.probe === 'mounts');
    const target = mounts.targets.find((t: { check: string }) => t.check === `mount:${mount.mountpoint}`);
    assert.equal(target.ok, false);
    assert.equal(target.reason, 'hung');
  });

  it('the shipped drill config loads with the real probe and sink schemas', () => {
    const file = join(ROOT, 'examples/agent-drill.yaml');
    const c = parseAgentConfig(readFileSync(file, 'utf8'), file, {
      probes: PROBES,
      alertsSchema: deliveryConfigSchema,
      env: {},
    });
    assert.deepEqual(c.listen, { host: '127.0.0.1', port: 19464 });
    assert.equal(c.stateDir, '/tmp/faultline-drill/state');
    assert.deepEqual((c.probes.nfs!.config as { servers: string[] }).servers, ['127.0.0.1:20490']);
    assert.deepEqual((c.probes.mounts!.config as { paths: string[] }).paths, ['/tmp/faultline-drill/mnt']);
    assert.deepEqual((c.probes.dns!.config as { resolvers: string[] }).resolvers, ['127.0.0.1:5353']);
    const alerts = c.alerts as { sinks: { type: string; url: string }[] };
    assert.equal(alerts.sinks[0]?.type, 'webhook');
    assert.equal(alerts.sinks[0]?.url, 'http://127.0.0.1:8099/alerts');
  });

  it('stops cleanly on SIGTERM; after SIGKILL, or a reboot, the next start sends one previous-boot report', async () => {
    const dir = tmp();
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir);
    // A proc root whose boot id the test controls (a "reboot" rewrites it); the rest is the real /proc.
    const procDir = join(dir, 'proc');
    mkdirSync(join(procDir, 'sys/kernel/random'), { recursive: true });
    symlinkSync('/proc/self', join(procDir, 'self'));
    const bootIdFile = join(procDir, 'sys/kernel/random/boot_id');
    writeFileSync(bootIdFile, '2f7c5a1e-0d7e-4c1b-9a53-1f0e8b1c0a01\n');
    // Only previous-boot reports are counted: a check going slow on a loaded machine may alert too.
    const received: { id: string; kind: string; title: string }[] = [];
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        const alert = JSON.parse(raw);
        if (alert.kind === 'previous-boot') received.push(alert);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => closeServer(receiver));
    const sinkPort = (receiver.address() as AddressInfo).port;
    const port = await freePort();
    const file = join(dir, 'agent.yaml');
    writeFileSync(
      file,
      `listen: 127.0.0.1:${port}\nnode: sig-node\nstateDir: ${stateDir}\ninterval: 1s\ntimeout: 500ms\n` +
        `paths:\n  proc: ${procDir}\n` +
        `probes:\n  mounts:\n    discover: false\n    paths: [${dir}]\n${otherProbesOff(['mounts'])}` +
        `alerts:\n  sinks:\n    - type: webhook\n      name: test\n      url: http://127.0.0.1:${sinkPort}/\n`,
    );
    const startAgentProcess = async (): Promise<ChildProcess> => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/bin.ts', 'agent', '--config', file],
        {
          cwd: ROOT,
          stdio: ['ignore', 'ignore', 'pipe'],
          detached: true,
        },
      );
      child.stderr?.resume();
      cleanups.push(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      });
      await until(
        async () => ((await get(port, '/readyz')).status === 200 ? true : undefined),
        'agent ready',
      );
      return child;
    };
    const exited = (c: ChildProcess) =>
      new Promise<number | null>((r) => {
        if (c.exitCode !== null) r(c.exitCode);
        else c.once('exit', (code) => r(code));
      });
    const journal = () =>
      readFileSync(join(stateDir, JOURNAL_FILE), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { t: string; run: string });

    // 1. Clean stop.
    const a = await startAgentProcess();
    a.kill('SIGTERM');
    assert.equal(await exited(a), 0);
    assert.equal(journal().at(-1)?.t, 'stop');

    // 2. Start again: the previous run was clean, same boot → no report. Then SIGKILL.
    const b = await startAgentProcess();
    const bRun = journal().at(-1)?.run;
    b.kill('SIGKILL');
    await exited(b);
    assert.notEqual(journal().at(-1)?.t, 'stop');

    // 3. The next start reports the unclean stop, once, with the killed run's id.
    const c = await startAgentProcess();
    await until(() => (received.length > 0 ? true : undefined), 'previous-boot alert at the webhook');
    c.kill('SIGTERM');
    assert.equal(await exited(c), 0);
    assert.equal(received.length, 1, JSON.stringify(received));
    assert.equal(received[0]?.kind, 'previous-boot');
    assert.equal(received[0]?.id, `previous-boot-${bRun}`);
    assert.match(received[0]?.title ?? '', /stopped uncleanly/);
    assert.equal((received[0] as unknown as { severity: string }).severity, 'warning');

    // 4. Killed again, and the node "reboots" (new boot id): a critical report naming the reboot.
    const d = await startAgentProcess();
    const dRun = journal().at(-1)?.run;
    d.kill('SIGKILL');
    await exited(d);
    writeFileSync(bootIdFile, '9d1e3b7c-4a2f-4e0d-8c6b-7e5f3a2d1c02\n');
    const e = await startAgentProcess();
    await until(() => (received.length > 1 ? true : undefined), 'the reboot report');
    e.kill('SIGTERM');
    assert.equal(await exited(e), 0);
    assert.equal(received.length, 2, JSON.stringify(received));
    const reboot = received[1] as unknown as {
      id: string;
      severity: string;
      title: string;
      evidence: Record<string, unknown>;
    };
    assert.equal(reboot.id, `previous-boot-${dRun}`);
    assert.equal(reboot.severity, 'critical');
    assert.match(reboot.title, /rebooted without a clean stop/);
    assert.equal(reboot.evidence.previousBootId, '2f7c5a1e-0d7e-4c1b-9a53-1f0e8b1c0a01');
    assert.equal(reboot.evidence.rebooted, true);
  });
});
