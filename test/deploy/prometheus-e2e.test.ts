/**
 * The shipped rules and dashboard against the real thing: a real Prometheus scrapes a real agent
 * (watching a real nfs-ganesha) with deploy/prometheus/faultline.rules.yml loaded. Every dashboard
 * query must evaluate, and pausing the NFS server must activate FaultlineNFSServerUnreachable with
 * the agent's own labels and the failure reason in its description.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { type Daemon, startDaemon } from '../../bench/lib/daemon.ts';
import { timedGet, waitForHttp } from '../../bench/lib/http.ts';
import { eventually } from '../helpers/eventually.ts';
import { requireExecutable } from '../helpers/lab.ts';
import { freePort } from '../helpers/ports.ts';
import { DEPLOY_DIR } from './manifests.ts';
import { RULES_FILE } from './prometheusrule.ts';
import { startWatchedAgent, type WatchedAgent } from './watched-agent.ts';

interface QueryResult {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe('deploy/ rules and dashboard with a real Prometheus scraping a real agent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-prom-e2e-'));
  let watched: WatchedAgent;
  let prometheus: Daemon;
  let promBase: string;

  const query = async (expr: string): Promise<QueryResult> => {
    const r = await timedGet(`${promBase}/api/v1/query?query=${encodeURIComponent(expr)}`, 10_000);
    return JSON.parse(r.body) as QueryResult;
  };
  const waitFor = <T>(what: string, ms: number, probe: () => Promise<T | undefined>) =>
    eventually(what, probe, { ms, everyMs: 500 });

  before(async () => {
    const bin = requireExecutable('prometheus', 'prometheus');
    watched = await startWatchedAgent(dir);
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [RULES_FILE],
        scrape_configs: [
          {
            job_name: 'faultline-agent',
            static_configs: [{ targets: [watched.agent.base.replace('http://', '')] }],
          },
        ],
      }),
    );
    prometheus = startDaemon(
      bin,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      join(dir, 'prometheus.log'),
    );
    promBase = `http://127.0.0.1:${port}`;
    await waitForHttp(`${promBase}/-/ready`, 30_000);
    await waitFor('the first scrape of the agent', 30_000, async () => {
      const r = await query('up{job="faultline-agent"} == 1');
      return r.data?.result.length ? true : undefined;
    });
  });
  after(async () => {
    await prometheus?.stop();
    await watched?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus loaded every shipped rule', async () => {
    const r = JSON.parse((await timedGet(`${promBase}/api/v1/rules`, 10_000)).body);
    const names = r.data.groups.flatMap((g: { rules: { name: string }[] }) => g.rules.map((x) => x.name));
    assert.ok(names.includes('FaultlineNFSServerUnreachable'));
    assert.ok(names.length >= 18, `loaded ${names.length} rules`);
    for (const g of r.data.groups)
      for (const rule of g.rules) assert.equal(rule.health, 'ok', `${rule.name}: ${rule.lastError}`);
  });

  it('every dashboard query evaluates; the harness and NFS panels have data', async () => {
    const dashboard = JSON.parse(
      readFileSync(join(DEPLOY_DIR, 'grafana', 'faultline-dashboard.json'), 'utf8'),
    );
    const exprs: { title: string; expr: string }[] = dashboard.panels.flatMap(
      (p: { title: string; targets?: { expr: string }[] }) =>
        (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr })),
    );
    const withData = new Set<string>();
    for (const { title, expr } of exprs) {
      const r = await query(expr.replaceAll('$node', '.+'));
      assert.equal(r.status, 'success', `${title}: ${r.error}`);
      if ((r.data?.result.length ?? 0) > 0) withData.add(title);
    }
    for (const title of ['Agent up', 'Probe duration', 'NFS server up (RPC NULL)', 'Mount responsive']) {
      assert.ok(withData.has(title), `panel '${title}' shows no data for a running agent`);
    }
  });

  it('pausing the NFS server activates FaultlineNFSServerUnreachable with the reason', async () => {
    const { ganesha } = watched;
    const server = `${ganesha.host}:${ganesha.port}`;
    ganesha.pause();
    const alert = await waitFor('FaultlineNFSServerUnreachable to become active', 30_000, async () => {
      const r = JSON.parse((await timedGet(`${promBase}/api/v1/alerts`, 10_000)).body);
      return r.data.alerts.find(
        (a: { labels: Record<string, string> }) =>
          a.labels.alertname === 'FaultlineNFSServerUnreachable' && a.labels.server === server,
      ) as { labels: Record<string, string>; annotations: Record<string, string>; state: string } | undefined;
    });
    ganesha.resume();
    assert.match(alert.state, /^(pending|firing)$/);
    assert.equal(alert.labels.severity, 'critical');
    assert.equal(alert.labels.job, 'faultline-agent');
    assert.match(alert.annotations.description!, /failed \(reason: rpc_timeout\)/);
    assert.equal(alert.annotations.runbook, 'docs/agent/alerts.md#faultlinenfsserverunreachable');
  });
});
