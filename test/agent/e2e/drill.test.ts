/**
 * The drill, end to end, with real components: nfs-ganesha paused with SIGSTOP, a bindfs FUSE mount
 * frozen, a real Prometheus scraping the agent, a webhook receiver killed and restarted, and the agent
 * itself SIGKILLed while an alert waits in its outbox. Every wait below is a poll with a generous
 * deadline, not a timing assertion.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { timedGet } from '../../../bench/lib/http.ts';
import { type FrozenMount, startFrozenMount } from '../../helpers/bindfs.ts';
import { cleanupsAfterFile } from '../../helpers/cleanup.ts';
import { type Dnsmasq, startDnsmasq } from '../../helpers/dnsmasq.ts';
import { eventually } from '../../helpers/eventually.ts';
import { type Ganesha, startGanesha } from '../../helpers/ganesha.ts';
import { requireExecutable } from '../../helpers/lab.ts';
import { freePorts } from '../../helpers/ports.ts';
import { signalGroup } from '../../helpers/process-group.ts';
import { otherProbesOff } from '../probes-off.ts';

const ROOT = join(import.meta.dirname, '../../..');
const RECEIVER = join(import.meta.dirname, 'webhook-receiver.mjs');
const cleanups = cleanupsAfterFile();

interface Received {
  header: string | null;
  body: {
    id: string;
    key: string;
    kind: string;
    status: string;
    severity: string;
    check: string;
    title: string;
  };
}

const http = (port: number, path: string) => timedGet(`http://127.0.0.1:${port}${path}`, 5000);

const until = <T>(what: string, f: () => Promise<T | undefined | false> | T | undefined | false) =>
  eventually(what, f, { ms: 90_000, everyMs: 200 });

/** Start a process in its own group; killed with the group at the end. */
function launch(cmd: string, args: string[], logFile: string): ChildProcess {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout?.on('data', (c) => {
    log += c;
  });
  child.stderr?.on('data', (c) => {
    log += c;
  });
  child.on('exit', () => {
    try {
      writeFileSync(logFile, log);
    } catch {
      // the drill directory is already gone
    }
  });
  cleanups.push(() => signalGroup(child.pid, 'SIGKILL'));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });
}

describe('agent drill (real NFS server, FUSE mount, Prometheus, webhook)', () => {
  it('alerts on each failure, survives a dead receiver and a SIGKILL, delivers each alert once, resolves', async () => {
    const prometheus = requireExecutable('prometheus', 'prometheus');
    requireExecutable('bindfs', 'bindfs');
    const dir = mkdtempSync(join(tmpdir(), 'faultline-drill-'));
    cleanups.push(() => {
      // FAULTLINE_KEEP_DRILL=1 keeps the logs, journal and outbox for a post-mortem of a failed drill.
      if (!process.env.FAULTLINE_KEEP_DRILL) rmSync(dir, { recursive: true, force: true });
    });
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir);
    const alertsFile = join(dir, 'alerts.jsonl');
    const [agentPort, receiverPort, promPort] = await freePorts(3);

    const ganesha: Ganesha = await startGanesha();
    cleanups.push(() => ganesha.stop());
    const mount: FrozenMount = await startFrozenMount();
    cleanups.push(() => mount.stop());
    const dns: Dnsmasq = await startDnsmasq({ records: { 'quay.io': '1.2.3.4' } });
    cleanups.push(() => dns.stop());

    const received = (): Received[] =>
      existsSync(alertsFile)
        ? readFileSync(alertsFile, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Received)
            // The readiness GETs have no body.
            .filter((r) => r.body !== null)
        : [];
    const has = (pred: (r: Received['body']) => boolean) => received().some((r) => pred(r.body));

    const startReceiver = async () => {
      const child = launch(
        process.execPath,
        [RECEIVER, String(receiverPort), alertsFile],
        join(dir, 'receiver.log'),
      );
      await until('webhook receiver listening', () => http(receiverPort!, '/').then(() => true));
      return child;
    };

    const nfsCheck = `nfs-server:${ganesha.host}:${ganesha.port}`;
    const mountCheck = `mount:${mount.mountpoint}`;
    const dnsCheck = `dns:${dns.server}`;
    const otherProbes = otherProbesOff(['nfs', 'mounts', 'dstate', 'dns']);
    const configFile = join(dir, 'agent.yaml');
    writeFileSync(
      configFile,
      `listen: 127.0.0.1:${agentPort}
node: drill-node
stateDir: ${stateDir}
interval: 1s
timeout: 700ms
probes:
  # "slow" (degraded) thresholds above the deadline: on a loaded test machine a slow answer is not
  # what this drill is about; only failures count.
  nfs:
    servers: [${ganesha.host}:${ganesha.port}]
    discover: false
    slowSeconds: 5
  mounts:
    discover: false
    paths: [${mount.mountpoint}]
    slowSeconds: 5
  dns:
    resolvers: [${dns.server}]
    resolvConf: false
    systemdResolved: false
    names: [quay.io]
    clusterNames: []
    queryTimeoutMs: 500
    slowSeconds: 5
  dstate:
    # IO pressure is machine-wide (other work on this host moves it): kept out of the drill.
    pressure: false
    mountstats: false
${otherProbes}alerts:
  sinks:
    - type: webhook
      name: drill
      url: http://127.0.0.1:${receiverPort}/alerts
      timeout: 2s
  retry:
    initial: 200ms
    max: 1s
`,
    );
    let agentRuns = 0;
    const startAgent = async () => {
      const child = launch(
        process.execPath,
        ['--import', 'tsx', 'src/cli/bin.ts', 'agent', '--config', configFile],
        join(dir, `agent-${++agentRuns}.log`),
      );
      await until('agent /readyz', async () => (await http(agentPort!, '/readyz')).status === 200);
      return child;
    };
    const metrics = async () => (await http(agentPort!, '/metrics')).body;

    let receiver = await startReceiver();
    let agent = await startAgent();

    // A real Prometheus scrapes the agent.
    const promConfig = join(dir, 'prometheus.yml');
    writeFileSync(
      promConfig,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: faultline\n    static_configs:\n      - targets: ['127.0.0.1:${agentPort}']\n`,
    );
    launch(
      prometheus,
      [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      join(dir, 'prometheus.log'),
    );
    const up = await until('faultline_nfs_server_up in Prometheus', async () => {
      const r = await http(promPort!, '/api/v1/query?query=faultline_nfs_server_up');
      const data = JSON.parse(r.body) as {
        data?: { result?: { metric: { server: string }; value: [number, string] }[] };
      };
      return data.data?.result?.length ? data.data.result : undefined;
    });
    assert.equal(up[0]?.metric.server, `${ganesha.host}:${ganesha.port}`);
    assert.equal(up[0]?.value[1], '1');

    // 1. The NFS server stops answering RPC (TCP still connects).
    ganesha.pause();
    await until('NFS alert at the webhook', () => has((a) => a.check === nfsCheck && a.status === 'firing'));
    const nfsAlert = received().find((r) => r.body.check === nfsCheck)!.body;
    assert.match(nfsAlert.title, /rpc_timeout/);

    // 2. The FUSE mount freezes with processes stuck in D state on it: the mount probe's child hangs in
    // the kernel, the agent does not.
    const stuck = await mount.spawnDState(3);
    assert.equal(stuck.length, 3);
    await until('MountHung alert at the webhook', () =>
      has((a) => a.check === mountCheck && a.status === 'firing'),
    );
    await until('stuck probe child counted', async () =>
      /faultline_mount_probe_stuck\{[^}]*\} [1-9]/.test(await metrics()),
    );
    await until('D-state processes on FUSE counted', async () =>
      /faultline_dstate_processes\{subsystem="fuse"\} [3-9]/.test(await metrics()),
    );
    assert.equal((await http(agentPort!, '/healthz')).status, 200);

    // 2b. The kernel reports a hung task (written into the kernel log through /dev/kmsg, as root): with
    // the hung mount that is two freeze signals together — the node-at-risk warning.
    writeFileSync('/dev/kmsg', '<3>INFO: task loki:25860 blocked for more than 120 seconds.\n');
    await until('node-at-risk alert', () => has((a) => a.kind === 'node-at-risk' && a.status === 'firing'));
    const risk = received().find((r) => r.body.kind === 'node-at-risk')!.body as unknown as {
      severity: string;
      evidence: { signals: string[] };
    };
    assert.equal(risk.severity, 'critical');
    assert.ok(risk.evidence.signals.includes('hung-mounts'), risk.evidence.signals.join());
    assert.ok(risk.evidence.signals.includes('hung-task-reports'), risk.evidence.signals.join());

    // 2c. The resolver stops answering.
    assert.equal(
      has((a) => a.check === dnsCheck),
      false,
      'DNS alert before the resolver was paused',
    );
    dns.pause();
    await until('DNS alert at the webhook', () => has((a) => a.check === dnsCheck && a.status === 'firing'));
    assert.match(received().find((r) => r.body.check === dnsCheck)!.body.title, /timeout/);

    // 3. The receiver dies; a transition (NFS recovers) leaves an alert waiting in the outbox.
    // It dies at a quiet moment (everything acknowledged): killed between writing an alert and
    // answering 200, it would get that alert again — at-least-once, which is what the id is for.
    await until('outbox empty before the receiver dies', async () =>
      /faultline_alert_outbox_pending 0/.test(await metrics()),
    );
    signalGroup(receiver.pid, 'SIGKILL');
    await exited(receiver);
    ganesha.resume();
    await until('a pending alert in the outbox', async () =>
      /faultline_alert_outbox_pending [1-9]/.test(await metrics()),
    );
    assert.equal(
      has((a) => a.check === nfsCheck && a.status === 'resolved'),
      false,
    );

    // 4. The agent is SIGKILLed mid-delivery; receiver and agent come back.
    signalGroup(agent.pid, 'SIGKILL');
    await exited(agent);
    receiver = await startReceiver();
    agent = await startAgent();
    await until('the waiting NFS resolved alert delivered after the restart', () =>
      has((a) => a.check === nfsCheck && a.status === 'resolved'),
    );
    await until('previous-boot report for the killed run', () => has((a) => a.kind === 'previous-boot'));

    // 5. Everything resumes: the mount's and the resolver's alerts resolve.
    mount.thaw();
    dns.resume();
    await until('DNS resolved alert', () => has((a) => a.check === dnsCheck && a.status === 'resolved'));
    await until('mount resolved alert', () => has((a) => a.check === mountCheck && a.status === 'resolved'));
    // The restarted agent resumed "at risk" from its journal, so the warning is closed, not left firing.
    await until('node-at-risk resolved', () =>
      has((a) => a.kind === 'node-at-risk' && a.status === 'resolved'),
    );
    await until('outbox empty', async () => /faultline_alert_outbox_pending 0/.test(await metrics()));

    signalGroup(agent.pid, 'SIGTERM');
    await exited(agent);

    // At-least-once, as promised (src/agent/delivery/README.md): an id may arrive twice only as the same
    // alert sent again (a receiver that stored it but whose 2xx did not reach the agent within the sink
    // timeout — a loaded machine does that — is sent it again), never as two different alerts; header
    // and body agree; and the restart did not re-announce a condition that was already announced (same
    // key, status and severity under a new id).
    const all = received();
    const byId = new Map<string, string>();
    for (const r of all) {
      assert.equal(r.header, r.body.id);
      const body = JSON.stringify(r.body);
      const seen = byId.get(r.body.id);
      assert.ok(seen === undefined || seen === body, `id ${r.body.id} arrived twice with different content`);
      byId.set(r.body.id, body);
    }
    const unique = [...byId.values()].map((b) => JSON.parse(b) as Received['body']);
    // Only the conditions the drill controls: D-state and hung-task checks read this whole machine,
    // where other work may come and go.
    const controlled = unique.filter((b) =>
      [nfsCheck, mountCheck, dnsCheck, 'node-at-risk', 'previous-boot'].includes(b.key),
    );
    const announcements = controlled.map((b) => `${b.key}|${b.status}|${b.severity}`);
    assert.equal(
      new Set(announcements).size,
      announcements.length,
      `re-announced: ${announcements.join('\n')}`,
    );
    assert.equal(unique.filter((b) => b.kind === 'previous-boot').length, 1);
  });
});
