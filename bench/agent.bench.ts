/**
 * The agent drill as a benchmark (issue #4), against the Debian exporters a user would deploy instead.
 *
 * 1. Steady state, 60 s: CPU (% of one core, /proc/PID/stat utime+stime+cutime+cstime) and RSS of the
 *    agent, prometheus-node-exporter and prometheus-blackbox-exporter, each scraped every 15 s (blackbox:
 *    a tcp_connect probe of the NFS port every 5 s, the agent's interval). /healthz latency baseline.
 * 2. NFS drill, REPS times: SIGSTOP nfs-ganesha at a random phase of the agent's schedule; time until
 *    the webhook receiver has the agent's firing alert (target ≤ interval + timeout = 8 s, ≤ 10 s).
 *    Meanwhile blackbox's tcp_connect probe of the same port is polled every 5 s. SIGCONT; time to the
 *    resolved alert.
 * 3. Frozen FUSE mount with 50 processes in D state: /healthz p99 (target < 50 ms) against the healthy
 *    baseline from step 1; the agent's mount alert; one node-exporter scrape (does it hang?).
 * 4. Cost per probe: one agent with no probe, then with each registered probe alone, 30 s each.
 * Prints a table and writes bench/out/agent.json. FAULTLINE_BENCH_REPS and FAULTLINE_BENCH_WINDOW_S (seconds) override repetitions and the window.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFrozenMount } from '../test/helpers/bindfs.ts';
import { startDnsmasq } from '../test/helpers/dnsmasq.ts';
import { startGanesha } from '../test/helpers/ganesha.ts';
import { processState } from '../test/helpers/proc.ts';
import { startAgent } from './lib/agent.ts';
import { startBlackboxExporter, startNodeExporter } from './lib/exporters.ts';
import { HttpTimeout, sampleValue, timedGet } from './lib/http.ts';
import { measureUsage, type Usage } from './lib/procstat.ts';
import { summarize, table } from './lib/stats.ts';
import { startWebhookReceiver } from './lib/webhook.ts';

const REPS = Number(process.env.FAULTLINE_BENCH_REPS ?? 5);
const USAGE_WINDOW_MS = Number(process.env.FAULTLINE_BENCH_WINDOW_S ?? 60) * 1000;
const SCRAPE_EVERY_MS = 15_000;
const BLACKBOX_EVERY_MS = 5_000;
const HEALTHZ_REQUESTS = 1000;
const D_STATE_PROCESSES = 50;
const DEFAULT_INTERVAL_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 3_000;
const NODE_EXPORTER_DEADLINE_MS = 30_000;
const BREAKDOWN_WINDOW_MS = Number(process.env.FAULTLINE_BENCH_BREAKDOWN_S ?? 30) * 1000;
const OUT = join(import.meta.dirname, 'out', 'agent.json');
/** The /healthz latency rows of the frozen-mount table, healthy against frozen. */
const HEALTHZ_ROWS: { stat: 'p50' | 'p99' | 'max'; target: string }[] = [
  { stat: 'p50', target: '-' },
  { stat: 'p99', target: '< 50 ms' },
  { stat: 'max', target: '-' },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (b: number) => b / 1024 / 1024;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** Sequential GETs; returns each latency in ms (a failed or non-200 answer counts as an error). */
async function hammer(url: string, n: number): Promise<{ ms: number[]; errors: number }> {
  const ms: number[] = [];
  let errors = 0;
  for (let i = 0; i < n; i++) {
    try {
      const r = await timedGet(url, 5_000);
      if (r.status === 200) ms.push(r.ms);
      else errors++;
    } catch {
      errors++;
    }
  }
  return { ms, errors };
}

function dStateCount(pids: number[]): number {
  return pids.filter((p) => processState(p) === 'D').length;
}

// One long script on purpose: the four steps share the daemons started at the top, and each step's
// numbers are printed in the order the module comment lists them.
async function main(): Promise<void> {
  // Everything the bench creates (its bindfs mount included) lives under a directory that does not
  // match /tmp/faultline-*: node-exporter is told to skip those — other test suites on a shared
  // machine leave frozen FUSE mounts there, which would hang its scrapes before ours.
  const dir = mkdtempSync(join(tmpdir(), 'flbench-'));
  process.env.TMPDIR = dir;
  const foreignFuse = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => / - fuse\./.test(l)).length;
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  // A benchmark must end by itself whatever happens.
  const guard = setTimeout(() => {
    console.error('bench/agent: overall deadline (15 min) reached, aborting');
    process.exit(2);
  }, 15 * 60_000);
  guard.unref();

  // Latencies on a shared 2-core machine depend on what else runs: record the load with the numbers.
  const loadAtStart = loadavg();
  try {
    console.log('starting nfs-ganesha, bindfs, dnsmasq, webhook receiver, agent, exporters…');
    const ganesha = await startGanesha();
    cleanups.push(() => ganesha.stop());
    const mount = await startFrozenMount();
    cleanups.push(() => mount.stop());
    const dns = await startDnsmasq({ records: { 'quay.io': '1.2.3.4' } });
    cleanups.push(() => dns.stop());
    const hook = await startWebhookReceiver();
    cleanups.push(() => hook.close());
    const nfsServer = `${ganesha.host}:${ganesha.port}`;
    const agent = await startAgent(dir, {
      nfsServer,
      mountPath: mount.mountpoint,
      dnsResolver: dns.server,
      dnsNames: ['quay.io'],
      webhookUrl: hook.url,
    });
    cleanups.push(() => agent.stop());
    const blackbox = await startBlackboxExporter(dir);
    cleanups.push(() => blackbox.stop());
    const nodeExporter = await startNodeExporter(dir, 'tmp/faultline-.+');
    cleanups.push(() => nodeExporter.stop());
    console.log(`agent: ${agent.launcher}; probes registered: ${agent.probes.join(', ')}`);
    const nfsCheck = (b: Record<string, unknown>) =>
      typeof b.check === 'string' &&
      b.check.startsWith('nfs-server:') &&
      b.check.endsWith(`:${ganesha.port}`);
    const mountCheck = (b: Record<string, unknown>) => b.check === `mount:${mount.mountpoint}`;

    // Let the first rounds settle (the agent is ready after its first round).
    await sleep(DEFAULT_INTERVAL_MS + 1000);

    // ---- 1. steady state -------------------------------------------------------------------
    console.log(`steady state: measuring CPU and RSS for ${USAGE_WINDOW_MS / 1000} s…`);
    const scrapeMs: Record<string, number[]> = { agent: [], 'node-exporter': [], 'blackbox-exporter': [] };
    const scrapeFailures: Record<string, number> = {};
    let measuring = true;
    const scraper = (async () => {
      let next = performance.now();
      let lastBlackbox = -Infinity;
      while (measuring) {
        const now = performance.now();
        if (now >= next) {
          next += SCRAPE_EVERY_MS;
          for (const [name, url] of [
            ['agent', `${agent.base}/metrics`],
            ['node-exporter', `${nodeExporter.base}/metrics`],
            ['blackbox-exporter', `${blackbox.base}/metrics`],
          ] as const) {
            try {
              scrapeMs[name]!.push((await timedGet(url, 20_000)).ms);
            } catch (err) {
              scrapeFailures[name] = (scrapeFailures[name] ?? 0) + 1;
              console.log(`  scrape of ${name} failed: ${String(err)}`);
            }
          }
        }
        if (now - lastBlackbox >= BLACKBOX_EVERY_MS) {
          lastBlackbox = now;
          await blackbox.tcpProbe(nfsServer).catch(() => undefined);
        }
        await sleep(100);
      }
    })();
    const usage = await measureUsage(
      { agent: agent.pid, 'node-exporter': nodeExporter.pid, 'blackbox-exporter': blackbox.pid },
      USAGE_WINDOW_MS,
    );
    measuring = false;
    await scraper;
    const healthyHealthz = await hammer(`${agent.base}/healthz`, HEALTHZ_REQUESTS);

    // ---- 2. NFS drill --------------------------------------------------------------------
    const drill: {
      rep: number;
      alertMs: number;
      reason: unknown;
      severity: unknown;
      resolvedMs: number;
      blackboxDuringPause: number[];
    }[] = [];
    const blackboxHealthy = await blackbox.tcpProbe(nfsServer);
    for (let rep = 1; rep <= REPS; rep++) {
      // Healthy first: the agent must see the server up again before the next pause.
      const healthyBy = Date.now() + 60_000;
      for (;;) {
        const m = await timedGet(`${agent.base}/metrics`, 5_000);
        if (sampleValue(m.body, 'faultline_nfs_server_up', { server: nfsServer }) === 1) break;
        if (Date.now() > healthyBy) throw new Error('agent never saw the NFS server up again');
        await sleep(500);
      }
      // A random phase against the agent's schedule, so the repetitions sample the whole interval.
      await sleep(Math.random() * DEFAULT_INTERVAL_MS);
      const pausedAt = performance.now();
      ganesha.pause();
      const blackboxDuringPause: number[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          blackboxDuringPause.push(await blackbox.tcpProbe(nfsServer));
          const until = performance.now() + BLACKBOX_EVERY_MS;
          while (polling && performance.now() < until) await sleep(50);
        }
      })();
      const fired = await hook.waitFor((b) => nfsCheck(b) && b.status === 'firing', pausedAt, 60_000);
      // Keep the server paused a little longer so blackbox gets polled at least twice while paused.
      while (blackboxDuringPause.length < 2) await sleep(100);
      polling = false;
      await poller;
      const resumedAt = performance.now();
      ganesha.resume();
      const resolved = await hook.waitFor((b) => nfsCheck(b) && b.status === 'resolved', resumedAt, 90_000);
      const evidence = (fired.body.evidence ?? {}) as Record<string, unknown>;
      drill.push({
        rep,
        alertMs: fired.at - pausedAt,
        reason: evidence.reason ?? fired.body.title,
        severity: fired.body.severity,
        resolvedMs: resolved.at - resumedAt,
        blackboxDuringPause,
      });
      console.log(
        `  drill ${rep}/${REPS}: alert after ${round((fired.at - pausedAt) / 1000, 2)} s; ` +
          `blackbox probe_success while paused: ${blackboxDuringPause.join(',')}; resolved after ${round((resolved.at - resumedAt) / 1000, 2)} s`,
      );
    }

    // ---- 3. frozen mount with 50 D-state processes ---------------------------------------------
    console.log(`frozen mount: ${D_STATE_PROCESSES} processes in D state on ${mount.mountpoint}…`);
    const neBefore = await timedGet(`${nodeExporter.base}/metrics`, 20_000).catch(() => ({ ms: Number.NaN }));
    const dPids = await mount.spawnDState(D_STATE_PROCESSES);
    const frozenAt = performance.now();
    const nodeExporterScrape = timedGet(`${nodeExporter.base}/metrics`, NODE_EXPORTER_DEADLINE_MS).then(
      (r) => ({ answered: true, ms: r.ms, status: r.status }),
      (err) => ({
        answered: false,
        ms: err instanceof HttpTimeout ? err.ms : Number.NaN,
        status: 0,
        error: String(err),
      }),
    );
    const mountAlert = hook
      .waitFor((b) => mountCheck(b) && b.status === 'firing', frozenAt, 60_000)
      .then((r) => r.at - frozenAt)
      .catch(() => Number.NaN);
    const frozenHealthz = await hammer(`${agent.base}/healthz`, HEALTHZ_REQUESTS);
    const agentMetricsFrozen = await timedGet(`${agent.base}/metrics`, 10_000);
    const dStateDuring = dStateCount(dPids);
    const mountAlertMs = await mountAlert;
    const neFrozen = await nodeExporterScrape;
    const agentAlive = !agent.exited();

    // ---- 4. cost per probe ---------------------------------------------------------------------
    // Thaw first so the mount probe measures its normal cost, then one agent per probe (and none).
    await mount.stop();
    const breakdown: Record<string, Usage> = {};
    for (const only of [[], ...agent.probes.map((p) => [p])]) {
      const label = only[0] ?? '(no probe)';
      const sub = join(dir, `only-${label.replace(/\W/g, '')}`);
      mkdirSync(sub);
      const one = await startAgent(sub, {
        nfsServer,
        mountPath: join(dir, 'state'),
        dnsResolver: dns.server,
        dnsNames: ['quay.io'],
        webhookUrl: hook.url,
        only,
      });
      try {
        await sleep(2_000);
        breakdown[label] = (await measureUsage({ [label]: one.pid }, BREAKDOWN_WINDOW_MS))[label]!;
      } finally {
        await one.stop();
      }
      console.log(
        `  ${label}: ${round(breakdown[label]!.cpuPercentOfCore, 2)}% of a core, ${round(mb(breakdown[label]!.rssMaxBytes))} MB`,
      );
    }

    // ---- report ----------------------------------------------------------------------------
    const alert = summarize(drill.map((d) => d.alertMs));
    const resolvedS = summarize(drill.map((d) => d.resolvedMs));
    const bbPause = drill.flatMap((d) => d.blackboxDuringPause);
    const hzHealthy = summarize(healthyHealthz.ms);
    const hzFrozen = summarize(frozenHealthz.ms);
    const u = usage as Record<'agent' | 'node-exporter' | 'blackbox-exporter', Usage>;
    const targetMs = DEFAULT_INTERVAL_MS + DEFAULT_TIMEOUT_MS;
    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        kernel: release(),
        node: process.version,
        loadavg1mAtStart: loadAtStart[0],
        loadavg1mAtEnd: loadavg()[0],
        fuseMountsBeforeStart: foreignFuse,
        nodeExporterMountExclude: "default + tmp/faultline-.+ (other test suites' mounts)",
      },
      agent: {
        launcher: agent.launcher,
        probes: agent.probes,
        intervalMs: DEFAULT_INTERVAL_MS,
        timeoutMs: DEFAULT_TIMEOUT_MS,
      },
      nfsDrill: {
        reps: REPS,
        alertMs: alert,
        alertTargetMs: Math.min(targetMs, 10_000),
        alertWithinTarget: drill.every((d) => d.alertMs <= Math.min(targetMs, 10_000)),
        resolvedMs: resolvedS,
        runs: drill,
        baselineBlackboxTcpConnect: {
          probeSuccessHealthy: blackboxHealthy,
          probesWhilePaused: bbPause.length,
          successWhilePaused: bbPause.filter((v) => v === 1).length,
        },
      },
      frozenMount: {
        dStateProcesses: dStateDuring,
        healthzMs: {
          healthy: hzHealthy,
          frozen: hzFrozen,
          errorsHealthy: healthyHealthz.errors,
          errorsFrozen: frozenHealthz.errors,
        },
        healthzP99TargetMs: 50,
        healthzP99Ratio: hzFrozen.p99 / hzHealthy.p99,
        agentMetricsScrapeMs: agentMetricsFrozen.ms,
        agentMountAlertMs: mountAlertMs,
        agentStillRunning: agentAlive,
        baselineNodeExporter: {
          healthyScrapeMs: neBefore.ms,
          frozenScrape: neFrozen,
          deadlineMs: NODE_EXPORTER_DEADLINE_MS,
        },
      },
      steadyState: {
        windowSeconds: USAGE_WINDOW_MS / 1000,
        usage,
        scrapeMs: Object.fromEntries(Object.entries(scrapeMs).map(([k, v]) => [k, summarize(v)])),
        scrapeFailures,
        ratios: {
          cpuAgentVsNodeExporter: u.agent.cpuPercentOfCore / u['node-exporter'].cpuPercentOfCore,
          cpuAgentVsBlackbox: u.agent.cpuPercentOfCore / u['blackbox-exporter'].cpuPercentOfCore,
          rssAgentVsNodeExporter: u.agent.rssMaxBytes / u['node-exporter'].rssMaxBytes,
          rssAgentVsBlackbox: u.agent.rssMaxBytes / u['blackbox-exporter'].rssMaxBytes,
        },
        targets: { cpuPercentOfCore: 1, rssMb: 80 },
      },
      perProbe: { windowSeconds: BREAKDOWN_WINDOW_MS / 1000, usage: breakdown },
    };
    mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);

    const s = (ms: number) => `${round(ms / 1000, 2)} s`;
    console.log(
      `\nmachine: ${cpus().length} cores, load average (1 min) ${round(loadAtStart[0]!, 1)} at start, ${round(loadavg()[0]!, 1)} at end`,
    );
    console.log(
      `\nNFS server paused (SIGSTOP nfs-ganesha), ${REPS} repetitions, interval 5 s / timeout 3 s:`,
    );
    console.log(
      table(
        ['measure', 'min', 'p50', 'max', 'target'],
        [
          [
            'faultline: pause → webhook alert',
            s(alert.min),
            s(alert.p50),
            s(alert.max),
            `≤ ${s(Math.min(targetMs, 10_000))}`,
          ],
          ['faultline: resume → resolved alert', s(resolvedS.min), s(resolvedS.p50), s(resolvedS.max), '-'],
        ],
      ),
    );
    console.log(
      `blackbox tcp_connect on the paused NFS port: probe_success=1 in ${result.nfsDrill.baselineBlackboxTcpConnect.successWhilePaused} of ${bbPause.length} probes (never alerts)`,
    );
    console.log(`\n${dStateDuring} processes in D state on a frozen bindfs mount:`);
    console.log(
      table(
        ['measure', 'healthy', 'frozen', 'ratio', 'target'],
        [
          ...HEALTHZ_ROWS.map(({ stat, target }) => [
            `agent /healthz ${stat}`,
            `${round(hzHealthy[stat], 2)} ms`,
            `${round(hzFrozen[stat], 2)} ms`,
            round(hzFrozen[stat] / hzHealthy[stat], 2),
            target,
          ]),
          [
            'agent /metrics scrape',
            `${round(summarize(scrapeMs.agent!).p50, 2)} ms`,
            `${round(agentMetricsFrozen.ms, 2)} ms`,
            '-',
            '-',
          ],
          [
            'node-exporter /metrics scrape',
            `${round(neBefore.ms, 1)} ms`,
            neFrozen.answered
              ? `${round(neFrozen.ms, 1)} ms`
              : `no answer in ${NODE_EXPORTER_DEADLINE_MS / 1000} s`,
            neFrozen.answered ? round(neFrozen.ms / neBefore.ms, 1) : '∞',
            '-',
          ],
        ],
      ),
    );
    console.log(`faultline mount alert after ${Number.isNaN(mountAlertMs) ? 'none' : s(mountAlertMs)}`);
    console.log(
      `\nSteady state over ${USAGE_WINDOW_MS / 1000} s (scraped every 15 s; blackbox probing every 5 s):`,
    );
    console.log(
      table(
        [
          'process',
          'CPU % of a core',
          '… in children',
          'RSS max',
          'RSS incl. children',
          'vs agent CPU',
          'vs agent RSS',
        ],
        (['agent', 'node-exporter', 'blackbox-exporter'] as const).map((k) => [
          k,
          round(u[k].cpuPercentOfCore, 2),
          round((u[k].cpuChildrenSeconds / u[k].windowSeconds) * 100, 2),
          `${round(mb(u[k].rssMaxBytes))} MB`,
          `${round(mb(u[k].treeRssMaxBytes))} MB`,
          round(u[k].cpuPercentOfCore / u.agent.cpuPercentOfCore, 2),
          round(u[k].rssMaxBytes / u.agent.rssMaxBytes, 2),
        ]),
      ),
    );
    console.log(`\nCost per probe (one agent each, ${BREAKDOWN_WINDOW_MS / 1000} s, mount thawed):`);
    console.log(
      table(
        ['probes enabled', 'CPU % of a core', '… in children', 'RSS max'],
        Object.entries(breakdown).map(([k, v]) => [
          k,
          round(v.cpuPercentOfCore, 2),
          round((v.cpuChildrenSeconds / v.windowSeconds) * 100, 2),
          `${round(mb(v.rssMaxBytes))} MB`,
        ]),
      ),
    );
    console.log(`targets: agent < 1% of a core, < 80 MB. Wrote ${OUT}`);
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        console.error(`cleanup: ${String(err)}`);
      }
    }
    clearTimeout(guard);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench/agent failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
