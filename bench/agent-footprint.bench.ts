/**
 * Issue 10 §4: the agent's idle footprint with the shipped config, beside node_exporter, in the same
 * run and the same window (both scraped every 15 s, as Prometheus would). Targets: ≤ 0.5% of one core
 * and ≤ 60 MB RSS. The shipped config is read from deploy/kubernetes/configmap.yaml; what this machine
 * cannot have is replaced, and printed: targets on loopback only (a dnsmasq for the resolvers, a
 * webhook for the sink), this machine's /proc instead of /host/proc, and no Kubernetes reporter (its
 * in-cluster client needs a service account; it uses raw https, not @kubernetes/client-node).
 * Each agent variant (launch flags) is measured against its own node_exporter sample of the same window.
 * FAULTLINE_BENCH_WINDOW_S sets the window (default 120 s).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { startDnsmasq } from '../test/helpers/dnsmasq.ts';
import { freePort } from '../test/helpers/ports.ts';
import { nonLoopbackTargets } from './lib/agent.ts';
import { startDaemon } from './lib/daemon.ts';
import { startNodeExporter } from './lib/exporters.ts';
import { timedGet, waitForHttp } from './lib/http.ts';
import { measureUsage } from './lib/procstat.ts';
import { startWebhookReceiver } from './lib/webhook.ts';

const ROOT = join(import.meta.dirname, '..');
const WINDOW_MS = Number(process.env.FAULTLINE_BENCH_WINDOW_S ?? 120) * 1000;
const SCRAPE_EVERY_MS = 15_000;
const OUT = join(import.meta.dirname, 'out', 'agent-footprint.json');
const TARGET = { cpuPercentOfCore: 0.5, rssMb: 60 };
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;

/** Launch variants: the flags bin/faultline-agent sets (V8 flags) against plain `node`. */
const VARIANTS: Record<string, string[]> = process.env.FAULTLINE_FOOTPRINT_VARIANTS
  ? // "name=--flag --flag;other=..." to compare candidate flags in one run
    Object.fromEntries(
      process.env.FAULTLINE_FOOTPRINT_VARIANTS.split(';').map((v) => {
        const eq = v.indexOf('=');
        return [
          v.slice(0, eq),
          v
            .slice(eq + 1)
            .split(/\s+/)
            .filter(Boolean),
        ];
      }),
    )
  : { 'plain node': [], shipped: readShippedFlags().split(/\s+/).filter(Boolean) };

function readShippedFlags(): string {
  const m = /NODE_FLAGS = '([^']*)'/.exec(
    readFileSync(join(ROOT, 'src/agent/runtime/node-flags.ts'), 'utf8'),
  );
  return m?.[1] ?? '';
}

// biome-ignore lint/suspicious/noExplicitAny: the shipped YAML is edited field by field below, untyped on purpose
function shippedConfig(): Record<string, any> {
  for (const doc of parseAllDocuments(readFileSync(join(ROOT, 'deploy/kubernetes/configmap.yaml'), 'utf8'))) {
    const text = (doc.toJS() as { data?: Record<string, string> } | null)?.data?.['agent.yaml'];
    if (text) return parse(text);
  }
  throw new Error('deploy/kubernetes/configmap.yaml: no agent.yaml');
}

function benchConfig(dir: string, port: number, resolver: string, webhook: string) {
  const c = shippedConfig();
  const changed: string[] = [];
  const set = (what: string, apply: () => void) => {
    apply();
    changed.push(what);
  };
  set(`listen 127.0.0.1:${port} (was ${c.listen})`, () => (c.listen = `127.0.0.1:${port}`));
  set('stateDir: a temp dir', () => (c.stateDir = join(dir, 'state')));
  set('paths: this machine (no /host mounts)', () => delete c.paths);
  set('mounts.hostRoot: none', () => delete c.probes.mounts.hostRoot);
  set(`dns: only ${resolver} (loopback dnsmasq), no clusterDns, no resolv.conf/resolved upstreams`, () =>
    Object.assign(c.probes.dns, {
      resolvers: [resolver],
      names: ['quay.io'],
      clusterDns: [],
      resolvConf: false,
      systemdResolved: false,
    }),
  );
  set(
    'sink: a loopback webhook',
    () => (c.alerts.sinks = [{ type: 'webhook', name: 'bench', url: webhook }]),
  );
  set('kubernetes reporter off (no service account here)', () => (c.kubernetes = { enabled: false }));
  c.node = 'bench-node';
  return { config: c, changed };
}

async function main() {
  mkdirSync(join(import.meta.dirname, 'out'), { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'fl-agentcore-footprint-'));
  const dns = await startDnsmasq({ records: { 'quay.io': '127.0.0.1' } });
  const hook = await startWebhookReceiver();
  const results: Record<string, unknown>[] = [];
  let changed: string[] = [];
  try {
    for (const [variant, flags] of Object.entries(VARIANTS)) {
      const port = await freePort();
      const cfg = benchConfig(join(dir, variant.replace(/\W/g, '-')), port, dns.server, hook.url);
      changed = cfg.changed;
      const file = join(dir, `${variant.replace(/\W/g, '-')}.yaml`);
      writeFileSync(file, stringify(cfg.config));
      const agent = startDaemon(
        process.execPath,
        [...flags, join(ROOT, 'dist/src/cli/bin.js'), 'agent', '--config', file],
        join(dir, `${variant.replace(/\W/g, '-')}.log`),
      );
      const ne = await startNodeExporter(dir);
      try {
        const base = `http://127.0.0.1:${port}`;
        await waitForHttp(`${base}/readyz`, 120_000).catch((err) => {
          const log = readFileSync(join(dir, `${variant.replace(/\W/g, '-')}.log`), 'utf8');
          throw new Error(`${variant}: ${(err as Error).message}\nagent log:\n${log.slice(-2000)}`);
        });
        const remote = nonLoopbackTargets((await timedGet(`${base}/metrics`, 10_000)).body);
        if (remote.length > 0) throw new Error(`agent probes non-loopback targets: ${remote.join(', ')}`);
        // Settle: the first rounds load code and warm caches; idle is what follows.
        await new Promise((r) => setTimeout(r, 15_000));
        const scrapes = setInterval(() => {
          void timedGet(`${base}/metrics`, 10_000).catch(() => undefined);
          void timedGet(`${ne.base}/metrics`, 10_000).catch(() => undefined);
        }, SCRAPE_EVERY_MS);
        const u = await measureUsage({ agent: agent.pid, 'node-exporter': ne.pid }, WINDOW_MS);
        clearInterval(scrapes);
        results.push({ variant, flags, agent: u.agent, nodeExporter: u['node-exporter'] });
      } finally {
        await agent.stop();
        await ne.stop();
      }
    }
  } finally {
    await dns.stop();
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const report = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg1: loadavg()[0], node: process.version },
    windowSeconds: WINDOW_MS / 1000,
    target: TARGET,
    configChanges: changed,
    results,
  };
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`idle footprint, shipped config (changes for this machine: ${changed.join('; ')})`);
  console.log(
    `window ${WINDOW_MS / 1000} s, scraped every ${SCRAPE_EVERY_MS / 1000} s; ${cpus().length} cores, load ${r2(loadavg()[0]!)}`,
  );
  console.log(
    'variant        | agent CPU % core | agent RSS max | node_exporter CPU % | node_exporter RSS max',
  );
  type Usage = { cpuPercentOfCore: number; rssMaxBytes: number };
  for (const r of results as { variant: string; agent: Usage; nodeExporter: Usage }[]) {
    console.log(
      `${r.variant.padEnd(14)} | ${String(r2(r.agent.cpuPercentOfCore)).padStart(16)} | ${`${mb(r.agent.rssMaxBytes)} MB`.padStart(13)} | ${String(r2(r.nodeExporter.cpuPercentOfCore)).padStart(19)} | ${mb(r.nodeExporter.rssMaxBytes)} MB`,
    );
  }
  console.log(`target: agent ≤ ${TARGET.cpuPercentOfCore}% of a core and ≤ ${TARGET.rssMb} MB RSS`);
}

main().catch((err) => {
  console.error(
    `bench/agent-footprint failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  process.exit(1);
});
