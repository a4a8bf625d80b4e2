import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseBlastArgs } from '../../src/blast/options.ts';
import { main } from '../../src/cli/main.ts';
import { closeServer } from '../helpers/cleanup.ts';
import { captureIO } from '../helpers/io.ts';

const SEED = ['examples/blast/cluster', 'examples/blast/storage-hard'];

/** A kubeconfig at `dir/file` pointing at `server` on loopback, context `context`. */
function loopbackKubeconfig(dir: string, server: Server, file: string, context: string): string {
  const kc = join(dir, file);
  const { port } = server.address() as AddressInfo;
  writeFileSync(
    kc,
    `apiVersion: v1\nkind: Config\nclusters:\n  - name: lab\n    cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\ncontexts:\n  - name: ${context}\n    context: {cluster: lab, user: me}\ncurrent-context: ${context}\nusers:\n  - name: me\n    user: {token: abc}\n`,
  );
  return kc;
}

async function run(argv: string[]) {
  const io = captureIO();
  const code = await main(['blast', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe('faultline blast: options', () => {
  it('bad input is a usage error naming the flag, exit 2', async () => {
    for (const [argv, message] of [
      [[...SEED], /give --target TARGET or --all/],
      [[...SEED, '--all', '--target', 'cni'], /--all and --target exclude each other/],
      [[...SEED, '--target', 'smb:nas'], /--target must be nfs:HOST, dns:IP or cni \(got 'smb:nas'\)/],
      [[...SEED, '--target', 'nfs:'], /--target nfs: needs a value/],
      [[...SEED, '--target', 'cni:x'], /--target cni takes no value/],
      [[...SEED, '--all', '--format', 'sarif'], /--format must be one of text, json, mermaid, html/],
      [[...SEED, '--all', '--budget', '-1'], /--budget must be a positive number/],
      [[...SEED, '--all', '--frobnicate'], /unknown option '--frobnicate'/],
      [['--all'], /nothing to read/],
    ] as const) {
      const r = await run([...argv]);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, message);
      assert.match(r.err, /\nRun 'faultline blast --help' for usage\.\n$/);
    }
  });

  it('parses targets, repeated targets and --flag=value', () => {
    const o = parseBlastArgs([
      'a',
      '--target=nfs:NAS.lan.',
      '--target',
      'dns:10.43.0.10',
      '--format=json',
      '--',
      '-x',
    ]);
    assert.deepEqual(
      o.targets.map((t) => t.id),
      ['nfs:NAS.lan.', 'dns:10.43.0.10'],
    );
    assert.deepEqual(o.paths, ['a', '-x']);
    assert.equal(o.format, 'json');
  });

  it('--help prints the usage; `faultline --help` lists blast', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /--target nfs:HOST/);
    const io = captureIO();
    await main(['--help'], io);
    assert.match(io.out(), /blast {6}what goes down/);
  });
});

describe('faultline blast: end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-blast-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('text, json, mermaid and html; --output writes the file; the NAS name is case-insensitive', async () => {
    const text = await run([...SEED, '--target', 'nfs:TrueNAS.home.lex.la.']);
    assert.equal(text.code, 0);
    assert.match(text.out, /^nfs:truenas\.home\.lex\.la — NFS server/);
    assert.match(text.out, /Hostnames lost \(4\)/);
    const json = await run([...SEED, '--all', '--format', 'json']);
    assert.equal(JSON.parse(json.out).ranking[0].target.id, 'nfs:truenas.home.lex.la');
    const mmd = await run([...SEED, '--target', 'nfs:truenas.home.lex.la', '--format', 'mermaid']);
    assert.match(mmd.out, /^flowchart LR\n/);
    const file = join(dir, 'blast.html');
    const html = await run([...SEED, '--all', '--format', 'html', '--output', file]);
    assert.equal(html.code, 0);
    assert.equal(html.out, '');
    assert.match(html.err, /report written to/);
    assert.match(readFileSync(file, 'utf8'), /^<!doctype html>/);
  });

  it('an unreadable input is listed, the rest analysed, exit 2', async () => {
    const r = await run([...SEED, 'missing.yaml', '--target', 'nfs:truenas.home.lex.la']);
    assert.equal(r.code, 2);
    assert.match(r.out, /input error: missing\.yaml/);
    assert.match(r.out, /Hostnames lost \(4\)/);
  });

  it('--exclude leaves paths out exactly as the audit does: the hard class excluded, nothing mounts the NAS', async () => {
    const target = ['--target', 'nfs:truenas.home.lex.la'];
    const kept = await run([...SEED, ...target]);
    assert.match(kept.out, /Hostnames lost \(4\)/);
    const r = await run([...SEED, ...target, '--exclude', 'truenas-sc.yaml']);
    assert.equal(r.code, 0);
    assert.match(r.out, /nothing in the scan mounts NFS from truenas\.home\.lex\.la: empty blast/);
  });

  it('--cluster: Services and HTTPRoutes from the API, nodes from pod placement', async () => {
    const list = (items: unknown[]) => ({ kind: 'List', apiVersion: 'v1', metadata: {}, items });
    const pod = (name: string, ns: string, app: string, node: string, owner: object) => ({
      metadata: { name, namespace: ns, uid: `uid-${name}`, labels: { app }, ownerReferences: [owner] },
      spec: { nodeName: node, containers: [{ name: 'c', image: `ghcr.io/x/${app}` }] },
    });
    const sts = (name: string) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', name, controller: true });
    const rs = (name: string) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: `${name}-7c9d`,
      controller: true,
    });
    const deployment = (name: string) => ({
      metadata: { name, namespace: 'web' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'c', image: `ghcr.io/x/${name}` }] },
        },
      },
    });
    const answers: Record<string, unknown[]> = {
      '/apis/storage.k8s.io/v1/storageclasses': [
        {
          metadata: { name: 'nas', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
          provisioner: 'nfs.csi.k8s.io',
          parameters: { server: '172.16.0.5', share: '/k8s' },
          mountOptions: ['hard', 'nfsvers=4.1'],
        },
      ],
      '/api/v1/persistentvolumeclaims': [
        { metadata: { name: 'data-loki-0', namespace: 'monitoring' }, spec: { storageClassName: 'nas' } },
      ],
      '/apis/apps/v1/statefulsets': [
        {
          metadata: { name: 'loki', namespace: 'monitoring' },
          spec: {
            selector: { matchLabels: { app: 'loki' } },
            template: {
              metadata: { labels: { app: 'loki' } },
              spec: { containers: [{ name: 'l', image: 'grafana/loki' }] },
            },
            volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'nas' } }],
          },
        },
      ],
      '/apis/apps/v1/deployments': [deployment('eta'), deployment('job')],
      // The release that deployed eta: with live workloads it must not count as a second victim.
      '/apis/helm.toolkit.fluxcd.io/v2/helmreleases': [
        {
          metadata: { name: 'eta', namespace: 'web' },
          spec: { chart: { spec: { chart: 'eta' } }, values: {} },
        },
      ],
      '/api/v1/pods': [
        pod('loki-0', 'monitoring', 'loki', 'k8s-cp-01', sts('loki')),
        pod('eta-7c9d-abcde', 'web', 'eta', 'k8s-cp-01', rs('eta')),
        pod('job-7c9d-fghij', 'web', 'job', 'k8s-worker-02', rs('job')),
      ],
      '/api/v1/services': [
        { metadata: { name: 'eta', namespace: 'web' }, spec: { selector: { app: 'eta' } } },
        { metadata: { name: 'job', namespace: 'web' }, spec: { selector: { app: 'job' } } },
      ],
      '/apis/gateway.networking.k8s.io/v1/httproutes': ['eta', 'job'].map((n) => ({
        metadata: { name: n, namespace: 'web' },
        spec: { hostnames: [`${n}.lex.la`], rules: [{ backendRefs: [{ name: n, port: 80 }] }] },
      })),
    };
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      if (path.includes('gateway.networking.k8s.io') && !(path in answers)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ kind: 'Status', message: 'the server could not find the requested resource' }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(list(answers[path] ?? [])));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const kc = loopbackKubeconfig(dir, server, 'kubeconfig.yaml', 'homelab');
      const r = await run([
        '--cluster',
        '--kubeconfig',
        kc,
        '--target',
        'nfs:172.16.0.5',
        '--format',
        'json',
      ]);
      const report = JSON.parse(r.out);
      assert.deepEqual(report.errors, []);
      assert.equal(r.code, 0);
      const res = report.results[0];
      assert.deepEqual(res.nodes, { known: true, names: ['k8s-cp-01'], text: 'k8s-cp-01' });
      assert.deepEqual(
        res.victims.map((v: { unit: { id: string }; role: string; nodes: string[] }) => [
          v.unit.id,
          v.role,
          v.nodes,
        ]),
        [
          ['StatefulSet monitoring/loki', 'direct', ['k8s-cp-01']],
          ['Deployment web/eta', 'co-located', ['k8s-cp-01']],
        ],
      );
      assert.deepEqual(
        res.hostnames.map((h: { hostname: string; impact: string }) => [h.hostname, h.impact]),
        [['eta.lex.la', 'node-freeze']],
      );
      // Every live workload counted once: the HelmRelease that deployed eta is not a unit of its own.
      const cni = JSON.parse(
        (await run(['--cluster', '--kubeconfig', kc, '--target', 'cni', '--format', 'json'])).out,
      );
      assert.deepEqual(
        cni.results[0].victims.map((v: { unit: { id: string } }) => v.unit.id),
        ['Deployment web/eta', 'Deployment web/job', 'StatefulSet monitoring/loki'],
      );
    } finally {
      await closeServer(server);
    }
  });
  it("--cluster reads the audit's lists and its own at once: a slow API server costs one deadline, not two", async () => {
    // The server answers the audit's lists only once the blast's own list of Services has arrived. Read
    // one after the other, the audit's lists would wait out their deadline and come back as errors.
    const held: (() => void)[] = [];
    let servicesAsked = false;
    const server = createServer((req, res) => {
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: {}, items: [] }));
      };
      if ((req.url ?? '').startsWith('/api/v1/services')) {
        servicesAsked = true;
        for (const release of held.splice(0)) release();
      }
      if (servicesAsked || req.url?.includes('gateway.networking') || req.url?.includes('/ingresses'))
        answer();
      else held.push(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const kc = loopbackKubeconfig(dir, server, 'kubeconfig-slow.yaml', 'lab');
      const r = await run(['--cluster', '--kubeconfig', kc, '--target', 'cni', '--format', 'json']);
      assert.deepEqual(JSON.parse(r.out).errors, []);
      assert.equal(servicesAsked, true);
    } finally {
      await closeServer(server);
    }
  });
});
