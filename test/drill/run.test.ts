/**
 * `faultline drill run` against real components, inside a network namespace this test creates:
 * nfs-ganesha (server), dnsmasq ×2 (DNS= and FallbackDNS=), nftables (the fault), the faultline agent
 * with a webhook sink, and a bindfs FUSE mount standing in for the kernel NFS mount (this machine has no
 * kernel NFS client: the test freezes the FUSE daemon while the drill's element exists, so what is covered
 * is the drill's mount observation — sacrificial stat children, hung vs error, D-state counts — not the
 * kernel client's own reaction to the lost server).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { PROG_NFS, rpcNull } from '../../src/agent/rpc/onc-rpc.ts';
import { liveElements } from '../../src/drill/inject/nft.ts';
import type { DrillReport } from '../../src/drill/model.ts';
import { type FrozenMount, startFrozenMount } from '../helpers/bindfs.ts';
import { eventually } from '../helpers/eventually.ts';
import { mount, mountinfo } from './fixtures.ts';
import { drillRunArgs, type Lab, nodeRoot, ROOT, startLab } from './lab.ts';
import { insideNetns, runInNetns } from './netns.ts';

if (!insideNetns()) {
  it('drill run/stop against real components in a fresh network namespace (fl-drill-*)', (t) => {
    const r = runInNetns(import.meta.filename, 900_000);
    // The inner run's own report, so the log shows which drills ran.
    for (const line of r.output.split('\n').filter((l) => /^\s*[✔✖▶]/.test(l))) t.diagnostic(line);
    assert.equal(r.status, 0, r.output);
    // The inner run must have really run its tests, not just exited 0.
    assert.match(r.output, /ℹ pass 6\n/, r.output);
    assert.match(r.output, /ℹ fail 0\n/, r.output);
  });
} else {
  let lab: Lab;
  let fuse: FrozenMount;
  before(async () => {
    lab = await startLab();
    fuse = await startFrozenMount();
  });
  after(async () => {
    fuse?.thaw();
    await fuse?.stop();
    await lab?.stop();
  });

  const drill = (args: string[]): ChildProcess =>
    spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'drill', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const finish = async (
    c: ChildProcess,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const [stdout, stderr, [code]] = await Promise.all([text(c.stdout!), text(c.stderr!), once(c, 'close')]);
    return { code, stdout, stderr };
  };
  const elementLive = () =>
    eventually('the drill element', async () => (await liveElements()).length > 0, { ms: 60_000 });
  /** An nfs-blackhole run on a node without NFS mounts, returned once its fault element exists. */
  const blackholeRunning = async (duration: string) => {
    const child = drill(
      drillRunArgs('nfs-blackhole', {
        server: `127.0.0.1:${lab.nfsPort}`,
        duration,
        yes: true,
        'node-root': nodeRoot(lab.dir, mountinfo([])),
      }),
    );
    const done = finish(child);
    await elementLive();
    return { child, done };
  };
  const nullOk = async () =>
    (
      await rpcNull(
        { host: '127.0.0.1', port: lab.nfsPort, prog: PROG_NFS, vers: 3 },
        AbortSignal.timeout(1500),
      )
    ).ok;
  const mountLine = (opts: string) =>
    mountinfo([mount(99, fuse.mountpoint, 'nfs4', '127.0.0.1:/export', opts)]);

  describe('nfs-blackhole', () => {
    it('server silent, the hard mount blocks, the agent alerts, the fault removes itself', async () => {
      const root = nodeRoot(
        lab.dir,
        mountLine('rw,vers=4.1,hard,proto=tcp,timeo=600,retrans=2,addr=127.0.0.1'),
      );
      const child = drill(
        drillRunArgs('nfs-blackhole', {
          server: `127.0.0.1:${lab.nfsPort}`,
          duration: '10s',
          grace: '5s',
          yes: true,
          format: 'json',
          'node-root': root,
          'agent-config': lab.agentConfig,
          'ssh-port': lab.agentPort,
        }),
      );
      const done = finish(child);
      // Couple the FUSE stand-in to the fault: frozen while the drill's element exists, thawed when the kernel drops it.
      await elementLive();
      fuse.freeze();
      await eventually('the element to expire', async () => (await liveElements()).length === 0, {
        ms: 60_000,
        everyMs: 200,
      });
      fuse.thaw();
      const r = await done;
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.ok(r.stdout.startsWith('{'), `no JSON report on stdout; stderr:\n${r.stderr}`);
      const report = JSON.parse(r.stdout) as DrillReport;
      assert.equal(report.version, 1);
      const status = Object.fromEntries(report.verdict!.items.map((i) => [i.id, i]));
      assert.equal(status[`server:127.0.0.1:${lab.nfsPort}`]?.status, 'pass', JSON.stringify(status));
      assert.match(
        status[`server:127.0.0.1:${lab.nfsPort}`]!.observed,
        /probes failed \(rpc_timeout|unreachable/,
      );
      assert.equal(status[`mount:${fuse.mountpoint}`]?.status, 'pass', JSON.stringify(status));
      assert.match(status[`mount:${fuse.mountpoint}`]!.observed, /^hung from/);
      assert.equal(status.agent?.status, 'pass', JSON.stringify(status));
      assert.match(status.agent!.observed, /nfs/);
      assert.equal(status.node?.status, 'pass');
      assert.equal(report.verdict!.selfExpired, true);
      assert.ok(
        lab.alerts.some((a) => /nfs/i.test(`${a.check} ${a.title}`)),
        JSON.stringify(lab.alerts),
      );
      assert.equal(await nullOk(), true);
    });

    it('kill -9 mid-run: the kernel removes the fault by itself', async () => {
      const { child, done } = await blackholeRunning('8s');
      child.kill('SIGKILL');
      await done;
      // Nobody is left to clean up: the fault is still on...
      assert.ok((await liveElements()).length > 0);
      assert.equal(await nullOk(), false);
      // ...and goes away when the element's timeout passes.
      await eventually(
        'the element to expire with no process',
        async () => (await liveElements()).length === 0,
        { ms: 30_000, everyMs: 200 },
      );
      await eventually('the server to answer again', nullOk, { ms: 20_000, everyMs: 200 });
    });

    it('`drill stop` removes everything now', async () => {
      const { child, done } = await blackholeRunning('120s');
      const stop = await finish(drill(['stop']));
      assert.equal(stop.code, 0, stop.stderr);
      assert.match(stop.stdout, /removed 2 active fault element/);
      assert.deepEqual(await liveElements(), []);
      assert.equal(
        spawnSync('nft', ['list', 'tables'], { encoding: 'utf8' }).stdout.includes('faultline_drill'),
        false,
      );
      await eventually('the server to answer again', nullOk, { ms: 20_000, everyMs: 200 });
      child.kill('SIGTERM');
      await done;
    });

    it("refuses to touch the agent's alert path", async () => {
      const r = await finish(
        drill(
          drillRunArgs('nfs-blackhole', {
            server: `127.0.0.1:${lab.receiverPort}`,
            yes: true,
            'node-root': nodeRoot(lab.dir, mountinfo([])),
            'agent-config': lab.agentConfig,
          }),
        ),
      );
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /alert path \(alerts\.sinks\[0\]\.url/);
      assert.deepEqual(await liveElements(), []);
    });
  });

  describe('nfs-stall', () => {
    it('TCP still connects, no RPC is answered, then it recovers', async () => {
      const r = await finish(
        drill(
          drillRunArgs('nfs-stall', {
            server: `127.0.0.1:${lab.nfsPort}`,
            duration: '6s',
            grace: '4s',
            yes: true,
            format: 'json',
            'node-root': nodeRoot(lab.dir, mountinfo([])),
          }),
        ),
      );
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const item = (JSON.parse(r.stdout) as DrillReport).verdict!.items.find((i) =>
        i.id.startsWith('server:'),
      )!;
      assert.equal(item.status, 'pass');
      assert.match(item.observed, /rpc_timeout \(TCP connected\)/);
      assert.match(item.observed, /back .* after the fault ended/);
    });
  });

  describe('dns-blackhole', () => {
    it('shows that FallbackDNS= does not take over: node lookups fail while the fallback answers', async () => {
      const r = await finish(
        drill(
          drillRunArgs('dns-blackhole', {
            resolver: '127.0.0.1',
            duration: '12s',
            grace: '4s',
            yes: true,
            format: 'json',
            lookup: 'registry.drill.test',
            'agent-config': lab.agentConfig,
            'node-root': nodeRoot(lab.dir, mountinfo([])),
            'ssh-port': lab.agentPort,
          }),
        ),
      );
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const items = Object.fromEntries(
        (JSON.parse(r.stdout) as DrillReport).verdict!.items.map((i) => [i.id, i]),
      );
      assert.equal(items['resolver:127.0.0.1:53']?.status, 'pass');
      assert.match(items['resolver:127.0.0.1:53']!.observed, /failed \(timeout\)/);
      assert.equal(items['resolver:127.0.0.2:53']?.status, 'pass');
      assert.match(items['resolver:127.0.0.2:53']!.observed, /^answered/);
      assert.equal(items['lookup:node']?.status, 'pass', JSON.stringify(items['lookup:node']));
      assert.match(items['lookup:node']!.predicted, /FallbackDNS=127\.0\.0\.2 is not used/);
      assert.match(items['lookup:node']!.observed, /lookups failed/);
      assert.equal(items.agent?.status, 'pass', JSON.stringify(items.agent));
    });
  });
}
