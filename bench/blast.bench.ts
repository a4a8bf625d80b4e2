/**
 * `faultline blast --all` against `faultline audit` on the same inputs, in one run.
 *
 * Corpus: a deterministic home-ops-shaped repo of APPS apps (Deployment with a claim on the default
 * hard-NFS StorageClass for one in three, Service, HTTPRoute with a hostname; every fifth app an
 * app-template HelmRelease with a `route:`), the Cilium and CoreDNS objects — so every target kind runs.
 * Time: medians of interleaved rounds of audit (every rule) and blast --all (inputs through the audit
 * engine, then every target, graph and JSON), reported as the ratio blast / audit. Target ≤ 1.5×: the
 * blast adds relations and analyses on top of the same read, and must not grow faster than it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { audit } from '../src/audit/engine.ts';
import { blast } from '../src/blast/blast.ts';
import { renderJson } from '../src/blast/reporters/json.ts';
import { summarize } from './lib/stats.ts';

const OUT = 'bench/out';
const CORPUS = join(OUT, 'blast-corpus');
const APPS = Number(process.env.BLAST_BENCH_APPS ?? 2_000);
const ROUNDS = Number(process.env.BLAST_BENCH_ROUNDS ?? 3);
const TARGET_RATIO = 1.5;

function app(i: number): string {
  const ns = `ns${i % 25}`;
  const name = `app${i}`;
  if (i % 5 === 4)
    return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  chart: {spec: {chart: app-template, sourceRef: {kind: HelmRepository, name: bjw-s}}}
  values:
    controllers:
      ${name}: {containers: {app: {image: {repository: ghcr.io/example/${name}, tag: "1.0"}}}}
    service:
      app: {controller: ${name}, ports: {http: {port: 8080}}}
    route:
      app:
        hostnames: [${name}.example.org]
        parentRefs: [{name: envoy-external, namespace: network, sectionName: https}]
        rules: [{backendRefs: [{identifier: app, port: 8080}]}]
`;
  const claim = i % 3 === 0;
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: ${name}}}
  template:
    metadata: {labels: {app.kubernetes.io/name: ${name}, app.kubernetes.io/part-of: bench}}
    spec:
      containers:
        - name: app
          image: ghcr.io/example/${name}:1.0
          ports: [{containerPort: 8080}]
${claim ? `          volumeMounts: [{name: data, mountPath: /data}]\n      volumes: [{name: data, persistentVolumeClaim: {claimName: ${name}-data}}]\n` : ''}---
${claim ? `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}-data, namespace: ${ns}}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\n` : ''}apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {selector: {app.kubernetes.io/name: ${name}}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${ns}}
spec:
  parentRefs: [{name: envoy-external, namespace: network, sectionName: https}]
  hostnames: [${name}.example.org]
  rules: [{backendRefs: [{name: ${name}, port: 80}]}]
`;
}

function buildCorpus(): void {
  rmSync(CORPUS, { recursive: true, force: true });
  mkdirSync(CORPUS, { recursive: true });
  writeFileSync(
    join(CORPUS, 'storageclass.yaml'),
    `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nas
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: nfs.csi.k8s.io
parameters: {server: nas.example.lan, share: /k8s}
mountOptions: [hard, nfsvers=4.1]
`,
  );
  for (const f of ['cilium.yaml', 'coredns.yaml']) writeFileSync(join(CORPUS, f), readExample(f));
  for (let i = 0; i < APPS; i++) writeFileSync(join(CORPUS, `app${i}.yaml`), app(i));
}

function readExample(f: string): string {
  return readFileSync(join('examples/blast/cluster/kube-system', f), 'utf8');
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function main(): Promise<void> {
  buildCorpus();
  const paths = [CORPUS];
  const auditMs: number[] = [];
  const blastMs: number[] = [];
  let last: Awaited<ReturnType<typeof blast>> | undefined;
  // One warm-up of each, then interleaved rounds so both see the same machine load.
  await audit({ paths });
  await blast({ paths, targets: [], all: true });
  for (let r = 0; r < ROUNDS; r++) {
    auditMs.push((await timed(() => audit({ paths }))).ms);
    const b = await timed(async () => {
      const report = await blast({ paths, targets: [], all: true });
      renderJson(report);
      return report;
    });
    blastMs.push(b.ms);
    last = b.value;
  }
  const a = summarize(auditMs).p50;
  const b = summarize(blastMs).p50;
  const ratio = b / a;
  const nas = last!.ranking![0]!;
  const result = {
    apps: APPS,
    objects: last!.stats.objects,
    rounds: ROUNDS,
    auditMedianMs: Math.round(a),
    blastMedianMs: Math.round(b),
    ratio: Math.round(ratio * 100) / 100,
    target: TARGET_RATIO,
    pass: ratio <= TARGET_RATIO,
    first: { target: nas.target.id, hostnamesLost: nas.hostnamesLost, workloadsLost: nas.workloadsLost },
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e6),
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'blast.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `blast --all on ${result.objects} objects: ${result.blastMedianMs} ms vs audit ${result.auditMedianMs} ms → ${result.ratio}× (target ≤ ${TARGET_RATIO}×) ${result.pass ? 'PASS' : 'FAIL'}; first: ${nas.target.id}, ${nas.hostnamesLost} hostnames lost`,
  );
  if (!result.pass) process.exitCode = 1;
}

await main();
