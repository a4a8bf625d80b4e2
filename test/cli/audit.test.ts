import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { closeServer } from '../helpers/cleanup.ts';
import { captureIO } from '../helpers/io.ts';
import { requireExecutable } from '../helpers/lab.ts';

const BEFORE = 'examples/audit/before/manifests/csi-driver-nfs/truenas-sc.yaml';
const AFTER = 'examples/audit/after/manifests/csi-driver-nfs/truenas-sc.yaml';

interface JsonReport {
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    location: { file: string; line: number | null };
    evidence: Record<string, unknown>;
    fix: string;
  }[];
  errors: { file: string; line: number | null; message: string }[];
  summary: Record<string, unknown>;
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIO({ env });
  const code = await main(['audit', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

async function runJson(argv: string[]): Promise<{ code: number; report: JsonReport }> {
  const r = await run([...argv, '--format', 'json']);
  return { code: r.code, report: JSON.parse(r.out) as JsonReport };
}

describe('faultline audit: the seed incident end to end', () => {
  it('BEFORE: nfs-hard-mount, critical (default class), at the `hard` line of the StorageClass; exit 1', async () => {
    const { code, report } = await runJson(['examples/audit/before']);
    assert.equal(code, 1);
    const hard = report.findings.filter((f) => f.ruleId === 'nfs-hard-mount');
    assert.equal(hard.length, 1);
    assert.equal(hard[0]!.severity, 'critical');
    assert.deepEqual(hard[0]!.location, { file: BEFORE, line: 17 });
    assert.deepEqual(report.errors, []);
  });

  it('AFTER: no nfs-hard-mount, and the 30 s error budget is reported', async () => {
    const { code, report } = await runJson(['examples/audit/after', '--fail-on', 'none']);
    assert.equal(code, 0);
    assert.equal(report.findings.filter((f) => f.ruleId === 'nfs-hard-mount').length, 0);
    const budget = report.findings.find((f) => f.ruleId === 'nfs-error-budget');
    assert.ok(budget, 'nfs-error-budget reports the error time');
    assert.equal(budget.location.file, AFTER);
    assert.equal(budget.evidence.errorAfterSeconds, 30);
    assert.match(budget.message, /30 s/);
  });

  it("cluster repo + node root: the seed's three misses at once (hard PV, DNS fallback, hostname)", async () => {
    const { code, report } = await runJson([
      'examples/audit/cluster',
      '--node-root',
      'examples/audit/node-root',
    ]);
    assert.equal(code, 1);
    const ids = new Set(report.findings.map((f) => f.ruleId));
    for (const id of [
      'pv-mount-options-drift',
      'nfs-server-hostname',
      'dns-fallback-ineffective',
      'dns-single-resolver',
      'cilium-api-host-hostname',
    ])
      assert.ok(ids.has(id), `${id} in ${[...ids].join(', ')}`);
    const drift = report.findings.find((f) => f.ruleId === 'pv-mount-options-drift')!;
    assert.match(drift.fix, /kubectl patch pv /);
    assert.match(drift.fix, /recreate/i);
    assert.equal(report.summary.budgetSource, 'node');
  });
});

describe('faultline audit: exit codes and usage', () => {
  it('no inputs → 2 with usage on stderr', async () => {
    const r = await run([]);
    assert.equal(r.code, 2);
    assert.match(r.err, /nothing to audit/);
    assert.match(r.err, /^faultline audit: nothing to audit.*\nRun 'faultline audit --help' for usage.\n$/);
  });

  it('unknown flag → 2, naming it', async () => {
    const r = await run(['examples/audit/before', '--frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown option '--frobnicate'/);
  });

  it('--help → 0 with usage on stdout', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /--fail-on LEVEL/);
  });

  it('--fail-on decides: critical still fails BEFORE, none never does', async () => {
    assert.equal((await run(['examples/audit/before', '--fail-on', 'critical'])).code, 1);
    assert.equal((await run(['examples/audit/before', '--fail-on', 'none'])).code, 0);
  });

  it('an unreadable input alone → 2, reported in errors; the readable ones are still scanned', async () => {
    const { code, report } = await runJson([
      'examples/audit/before',
      'examples/audit/nope.yaml',
      '--fail-on',
      'none',
    ]);
    assert.equal(code, 2);
    assert.deepEqual(report.errors, [
      { file: 'examples/audit/nope.yaml', line: null, message: 'no such file or directory (ENOENT)' },
    ]);
    assert.ok(report.findings.length > 0);
  });

  it('--output writes the report to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-out-'));
    try {
      const out = join(dir, 'report.sarif');
      const r = await run(['examples/audit/before', '--format', 'sarif', '--output', out]);
      assert.equal(r.code, 1);
      assert.equal(r.out, '');
      assert.match(r.err, /report written to/);
      assert.equal(JSON.parse(readFileSync(out, 'utf8')).version, '2.1.0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('colour only on a TTY, and never with NO_COLOR', async () => {
    const tty = async (env: NodeJS.ProcessEnv) => {
      const io = captureIO({ env });
      (io.stdout as { isTTY?: boolean }).isTTY = true;
      await main(['audit', 'examples/audit/before'], io);
      return io.out();
    };
    assert.match(await tty({}), /\x1b\[/);
    assert.doesNotMatch(await tty({ NO_COLOR: '1' }), /\x1b\[/);
    assert.doesNotMatch((await run(['examples/audit/before'])).out, /\x1b\[/);
  });
});

describe('faultline audit: a file this user cannot read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-perm-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('EACCES lands in errors with the file; the rest is scanned (run as nobody via setpriv)', () => {
    const setpriv = requireExecutable('setpriv', 'util-linux');
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n');
    writeFileSync(join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: secret\n');
    chmodSync(join(dir, 'secret.yaml'), 0o000);
    // Tests run as root, who can read anything: drop to nobody for this one process.
    const r = spawnSync(
      setpriv,
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        '--import',
        'tsx',
        'src/cli/bin.ts',
        'audit',
        '--format',
        'json',
        dir,
      ],
      { encoding: 'utf8', env: { ...process.env, HOME: dir } },
    );
    assert.equal(r.status, 2, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(report.errors, [
      { file: join(dir, 'secret.yaml'), line: null, message: 'permission denied (EACCES)' },
    ]);
    assert.equal(report.summary.objects, 1);
  });
});

describe('faultline audit --cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-cluster-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const kubeconfig = (server: string) => {
    const file = join(dir, `kc-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Config\nclusters:\n  - name: lab\n    cluster:\n      server: ${server}\n      insecure-skip-tls-verify: true\ncontexts:\n  - name: homelab\n    context: {cluster: lab, user: me}\ncurrent-context: homelab\nusers:\n  - name: me\n    user: {token: abc}\n`,
    );
    return file;
  };

  it('reads the live StorageClass list and reports the hard default class at its pseudo location', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const items = (req.url ?? '').startsWith('/apis/storage.k8s.io/v1/storageclasses')
        ? [
            {
              metadata: {
                name: 'truenas-nfs',
                annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
              },
              provisioner: 'nfs.csi.k8s.io',
              parameters: { server: '172.16.0.5', share: '/mnt/pool/k8s' },
              mountOptions: ['hard', 'timeo=600', 'nfsvers=4.1'],
            },
          ]
        : [];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: {}, items }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as import('node:net').AddressInfo).port;
      const kc = kubeconfig(`http://127.0.0.1:${port}`);
      const { code, report } = await runJson(['--cluster', '--kubeconfig', kc, '--context', 'homelab']);
      assert.equal(code, 1);
      assert.deepEqual(report.errors, []);
      const hard = report.findings.find((f) => f.ruleId === 'nfs-hard-mount')!;
      assert.equal(hard.severity, 'critical');
      assert.deepEqual(hard.location, { file: 'cluster:homelab/StorageClass/truenas-nfs', line: null });
    } finally {
      await closeServer(server);
    }
  });

  it('a cluster that refuses connections → error entry, exit 2, the file inputs still scanned', async () => {
    const { createServer } = await import('node:http');
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const port = (s.address() as import('node:net').AddressInfo).port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    const { code, report } = await runJson([
      'examples/audit/after',
      '--cluster',
      '--kubeconfig',
      kubeconfig(`http://127.0.0.1:${port}`),
      '--fail-on',
      'none',
    ]);
    assert.equal(code, 2);
    assert.equal(report.errors.length, 1);
    assert.match(report.errors[0]!.message, /ECONNREFUSED/);
    assert.ok(report.findings.some((f) => f.ruleId === 'nfs-error-budget'));
  });
});

describe('faultline audit on a home-ops repository (issue 9)', () => {
  it('the code-scanning recipe exits 0 with --fail-on none on a repo with charts; templates counted, not errors; no stderr leak', async () => {
    const sarif = join(mkdtempSync(join(tmpdir(), 'fl-audit-cli-')), 'out.sarif');
    const r = await run([
      'examples/audit/home-ops',
      '--format',
      'sarif',
      '--output',
      sarif,
      '--fail-on',
      'none',
    ]);
    assert.equal(r.code, 0);
    assert.match(r.err, /^faultline audit: 4 finding\(s\), 0 input error\(s\); report written to /);
    assert.equal(r.err.split('\n').filter(Boolean).length, 1, `stderr: ${r.err}`);
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as {
      runs: { results: unknown[]; invocations: { toolExecutionNotifications: { level: string }[] }[] }[];
    };
    assert.equal(log.runs[0]!.results.length, 4);
    // The Secret-held values are a warning notification, not an error.
    assert.deepEqual(
      log.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.level),
      ['warning'],
    );
    const text = await run(['examples/audit/home-ops', '--fail-on', 'none']);
    assert.match(text.out, /Skipped: 1 Helm\/Jinja\/Flux-variable template document in 1 file/);
    const failing = await run(['examples/audit/home-ops']);
    assert.equal(failing.code, 1, 'the default --fail-on high still fails on the high findings');
  });

  it('--exclude is repeatable and shows in the summary', async () => {
    const { code, report } = await runJson([
      'examples/audit/home-ops',
      '--exclude',
      'apps/media',
      '--exclude=chart',
      '--fail-on',
      'none',
    ]);
    assert.equal(code, 0);
    assert.equal(report.summary.excluded, 2);
    assert.equal(report.summary.templatesSkipped, 0);
    assert.ok(!report.findings.some((f) => f.location.file.includes('apps/media')));
  });
});
