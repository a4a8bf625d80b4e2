import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROBES } from '../../../src/agent/probes/index.ts';
import { requireExecutable } from '../../helpers/lab.ts';
import { fixtureTree, testEnv } from './env.ts';
import { run } from './helpers/run.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixture = (p: string) =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/agent/${p}`, import.meta.url)), 'utf8');

// The shared metric contract (agent-common): probes register exactly these names, nothing else.
const CONTRACT: Record<string, string[]> = {
  nfs: [
    'faultline_nfs_server_up',
    'faultline_nfs_rpc_null_duration_seconds',
    'faultline_nfs_server_failure_reason',
  ],
  mounts: [
    'faultline_mount_responsive',
    'faultline_mount_probe_stuck',
    'faultline_mount_probe_duration_seconds',
  ],
  dstate: [
    'faultline_dstate_processes',
    'faultline_kernel_hung_task_reports_total',
    'faultline_pressure_io_stalled_ratio',
    'faultline_nfs_rpc_retransmissions_total',
    'faultline_nfs_rpc_major_timeouts_total',
  ],
  dns: ['faultline_dns_up', 'faultline_dns_lookup_duration_seconds', 'faultline_dns_lookups_total'],
  cilium: [
    'faultline_cilium_healthy',
    'faultline_cilium_component_healthy',
    'faultline_cilium_api_rate_limited_total',
  ],
};

describe('probe registry', () => {
  it('has unique names, strict schemas whose defaults parse from {}, and one test file per probe', () => {
    const names = PROBES.map((p) => p.name);
    assert.deepEqual([...new Set(names)], names);
    assert.deepEqual([...names].sort(), Object.keys(CONTRACT).sort());
    for (const p of PROBES) {
      assert.equal(p.configSchema.safeParse({}).success, true, `${p.name}: {} must parse`);
      assert.equal(
        p.configSchema.safeParse({ noSuchKey: 1 }).success,
        false,
        `${p.name}: unknown keys rejected`,
      );
      for (const harnessKey of ['enabled', 'interval', 'timeout']) {
        assert.equal(
          p.configSchema.safeParse({ [harnessKey]: true }).success,
          false,
          `${p.name} must not own ${harnessKey}`,
        );
      }
      assert.ok(existsSync(join(here, `${p.name}.test.ts`)), `test/agent/probes/${p.name}.test.ts exists`);
    }
  });

  it('registers every probe module in src/agent/probes/ (a probe file nobody registered never runs)', () => {
    const dir = fileURLToPath(new URL('../../../src/agent/probes/', import.meta.url));
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    assert.deepEqual(files.sort(), PROBES.map((p) => p.name).sort());
  });

  it('registers exactly the contract metrics, and the exposition passes promtool check metrics', async () => {
    const promtool = requireExecutable('promtool', 'prometheus');
    const root = fixtureTree({
      'proc/self/mountinfo': fixture('dstate/mountinfo'),
      'proc/self/mountstats': fixture('dstate/mountstats'),
      'proc/pressure/io': fixture('dstate/pressure-io'),
      kmsg: fixture('dstate/kmsg-history'),
      'etc/resolv.conf': '',
    });
    const env = testEnv({
      proc: join(root, 'proc'),
      kmsg: join(root, 'kmsg'),
      etc: join(root, 'etc'),
      run: join(root, 'run'),
    });
    const configs: Record<string, unknown> = {
      nfs: { discover: false },
      mounts: { discover: false },
      dns: { resolvConf: false, systemdResolved: false },
      cilium: { metricsUrl: 'http://127.0.0.1:1/metrics' },
    };
    for (const p of PROBES) {
      const instance = p.create(p.configSchema.parse(configs[p.name] ?? {}), env);
      await instance.run(AbortSignal.timeout(5000));
      await instance.close?.();
    }
    const registered = (await env.registry.getMetricsAsJSON()).map((m) => m.name).sort();
    assert.deepEqual(registered, Object.values(CONTRACT).flat().sort());
    const file = join(tmpdir(), `faultline-probes-${process.pid}.prom`);
    writeFileSync(file, await env.metrics());
    // promtool reads the exposition on stdin and lints names, units, HELP and counter suffixes.
    const r = await run('sh', ['-c', `"${promtool}" check metrics < "${file}"`], 10_000);
    assert.equal(r.code, 0, `promtool: ${r.stdout}${r.stderr}`);
    assert.equal(`${r.stdout}${r.stderr}`.trim(), '', 'no lint findings');
  });
});
