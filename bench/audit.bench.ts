/**
 * `faultline audit` throughput and memory against parsing alone, in one run.
 *
 * Builds a deterministic corpus of 10,000 manifests (one object per file, mixed kinds at realistic
 * sizes: Deployments, StatefulSets with NFS claim templates, Services, ConfigMaps, PVCs, PVs,
 * StorageClasses, Pods, Argo CD Applications) under bench/out/audit-corpus, then measures:
 *   - parse-only: read each file and yaml.parseAllDocuments() it (the floor any YAML tool pays);
 *   - audit: the full engine (files source, GitOps expansion, Inventory, every registered rule).
 * Time is reported as the ratio audit / parse-only (medians of interleaved rounds in this process).
 * Memory: each corpus size (2,500 / 5,000 / 10,000) is audited in a fresh child process that reports
 * its peak RSS and the heap retained by the result, so sizes do not share a high-water mark.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { audit } from '../src/audit/engine.ts';

const OUT = 'bench/out';
const CORPUS = join(OUT, 'audit-corpus');
const TOTAL = 10_000;
/** The corpus is split so that 2,500 / 5,000 / 10,000 are whole directories. */
const PARTS = [
  { dir: 'part-a', count: 2_500 },
  { dir: 'part-b', count: 2_500 },
  { dir: 'part-c', count: 5_000 },
];
const SIZES: { n: number; dirs: string[] }[] = [
  { n: 2_500, dirs: ['part-a'] },
  { n: 5_000, dirs: ['part-a', 'part-b'] },
  { n: 10_000, dirs: ['part-a', 'part-b', 'part-c'] },
];
/** Interleaved timing rounds; raise with AUDIT_BENCH_ROUNDS on a noisy machine. */
const ROUNDS = Number(process.env.AUDIT_BENCH_ROUNDS ?? 3);

// ---------------------------------------------------------------------------------------------
// Corpus

/** Small deterministic PRNG (mulberry32) so every run audits the same corpus. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACES = [
  'apps',
  'monitoring',
  'media',
  'databases',
  'kube-system',
  'ingress',
  'argocd',
  'logging',
];
const IMAGES = [
  'grafana/loki:3.5.7',
  'prom/prometheus:v3.7.3',
  'postgres:17.6',
  'nginx:1.29',
  'ghcr.io/example/api:2.4.1',
  'redis:8.2',
];

function labels(name: string, ns: string, indent: string): string {
  return [
    `${indent}app.kubernetes.io/name: ${name}`,
    `${indent}app.kubernetes.io/instance: ${name}-${ns}`,
    `${indent}app.kubernetes.io/part-of: platform`,
    `${indent}app.kubernetes.io/managed-by: Helm`,
  ].join('\n');
}

function container(name: string, image: string): string {
  return `        - name: ${name}
          image: ${image}
          imagePullPolicy: IfNotPresent
          args:
            - --config.file=/etc/${name}/config.yaml
            - --log.level=info
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: GOMAXPROCS
              valueFrom:
                resourceFieldRef:
                  resource: limits.cpu
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: "1"
              memory: 512Mi
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            initialDelaySeconds: 10
            periodSeconds: 10
          volumeMounts:
            - name: data
              mountPath: /var/lib/${name}
            - name: config
              mountPath: /etc/${name}`;
}

/** What every kind's generator gets: the index, the PRNG (each draws in a fixed order) and the common names. */
interface Draw {
  i: number;
  r: () => number;
  name: string;
  ns: string;
  image: string;
}

/** apiVersion, kind and a namespaced metadata block labelled for the app `name` (one object may be `${name}-config`). */
function head(apiVersion: string, kind: string, objectName: string, { name, ns }: Draw): string {
  return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${objectName}
  namespace: ${ns}
  labels:
${labels(name, ns, '    ')}
`;
}

/** The selector and pod template head the Deployment and the StatefulSet share; `podSpec` follows `spec:`. */
function podTemplate({ name, ns }: Draw, podSpec: string): string {
  return `  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
${labels(name, ns, '        ')}
    spec:
${podSpec}`;
}

function deployment(d: Draw): string {
  const { name, image } = d;
  return `${head('apps/v1', 'Deployment', name, d)}spec:
  replicas: ${1 + Math.floor(d.r() * 3)}
${podTemplate(
  d,
  `      serviceAccountName: ${name}
      containers:
${container(name, image)}
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: ${name}-data
        - name: config
          configMap:
            name: ${name}-config
`,
)}`;
}

function statefulSet(d: Draw): string {
  const { i, r, name, image } = d;
  return `${head('apps/v1', 'StatefulSet', name, d)}spec:
  serviceName: ${name}-headless
  replicas: 1
${podTemplate(
  d,
  `      containers:
${container(name, image)}
      volumes:
        - name: config
          configMap:
            name: ${name}-config
`,
)}  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        ${r() < 0.5 ? `storageClassName: nfs-${i % 20}\n        ` : ''}resources:
          requests:
            storage: 10Gi
`;
}

function service(d: Draw): string {
  return `${head('v1', 'Service', d.name, d)}spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ${d.name}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
`;
}

function configMap(d: Draw): string {
  return `${head('v1', 'ConfigMap', `${d.name}-config`, d)}data:
  config.yaml: |
    server:
      http_listen_port: 8080
      grpc_listen_port: 9095
    common:
      path_prefix: /var/lib/${d.name}
      replication_factor: 1
    limits:
      max_query_series: 5000
      retention_period: 744h
    ruler:
      alertmanager_url: http://alertmanager.monitoring:9093
`;
}

function persistentVolumeClaim(d: Draw): string {
  const { i, r } = d;
  return `${head('v1', 'PersistentVolumeClaim', `${d.name}-data`, d)}spec:
  accessModes:
    - ReadWriteOnce
  ${r() < 0.5 ? `storageClassName: nfs-${i % 20}\n  ` : ''}resources:
    requests:
      storage: ${1 + Math.floor(r() * 50)}Gi
  volumeName: pv-${i}
`;
}

function persistentVolume({ i, r, name, ns }: Draw): string {
  return `apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-${i}
  annotations:
    pv.kubernetes.io/provisioned-by: nfs.csi.k8s.io
spec:
  accessModes:
    - ReadWriteOnce
  capacity:
    storage: 10Gi
  claimRef:
    kind: PersistentVolumeClaim
    name: ${name}-data
    namespace: ${ns}
  csi:
    driver: nfs.csi.k8s.io
    volumeAttributes:
      server: ${r() < 0.5 ? `nas${i % 5}.home.lan` : `10.0.0.${i % 250}`}
      share: /export/k8s
      subdir: pv-${i}
    volumeHandle: nas#export/k8s#pv-${i}##
  mountOptions:
    - ${r() < 0.5 ? 'hard' : 'softerr'}
    - timeo=600
    - nfsvers=4.1
  persistentVolumeReclaimPolicy: Delete
  storageClassName: nfs-${i % 20}
  volumeMode: Filesystem
`;
}

function storageClass({ i, r }: Draw): string {
  return `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs-${i}
  annotations:
    storageclass.kubernetes.io/is-default-class: "${i % 997 === 0}"
provisioner: nfs.csi.k8s.io
parameters:
  server: nas${i % 5}.home.lan
  share: /export/k8s
reclaimPolicy: Delete
volumeBindingMode: Immediate
mountOptions:
  - nfsvers=4.1
  - ${r() < 0.5 ? 'hard' : 'soft'}
  - timeo=${r() < 0.5 ? 100 : 600}
`;
}

function pod({ i, name, ns, image }: Draw): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  containers:
${container(name, image).replace(/^ {4}/gm, '')}
  volumes:
    - name: data
      nfs:
        server: nas${i % 5}.home.lan
        path: /export/${name}
    - name: config
      emptyDir: {}
`;
}

function argoApplication({ i, name, ns }: Draw): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: ${ns}
  source:
    repoURL: https://charts.example.com
    chart: ${i % 2 === 0 ? 'csi-driver-nfs' : 'loki'}
    targetRevision: 1.0.0
    helm:
      values: |
        storageClass:
          create: true
          name: argo-nfs-${i}
          parameters:
            server: nas.home.lan
            share: /export/${name}
          mountOptions:
            - nfsvers=4.1
        persistence:
          enabled: true
          size: 10Gi
`;
}

/** The corpus mix: a roll of 0-99 below `below` picks that kind (25% Deployments, 10% StatefulSets, …). */
const MIX: { below: number; make: (d: Draw) => string }[] = [
  { below: 25, make: deployment },
  { below: 35, make: statefulSet },
  { below: 55, make: service },
  { below: 70, make: configMap },
  { below: 82, make: persistentVolumeClaim },
  { below: 92, make: persistentVolume },
  { below: 95, make: storageClass },
  { below: 98, make: pod },
  { below: 100, make: argoApplication },
];

function manifest(i: number, r: () => number): string {
  const ns = NAMESPACES[Math.floor(r() * NAMESPACES.length)]!;
  const image = IMAGES[Math.floor(r() * IMAGES.length)]!;
  const roll = Math.floor(r() * 100);
  return MIX.find((k) => roll < k.below)!.make({ i, r, name: `svc-${i}`, ns, image });
}

function buildCorpus(): { bytes: number } {
  rmSync(CORPUS, { recursive: true, force: true });
  const r = rng(20251114);
  let i = 0;
  let bytes = 0;
  for (const part of PARTS) {
    const dir = join(CORPUS, part.dir);
    mkdirSync(dir, { recursive: true });
    for (let k = 0; k < part.count; k++, i++) {
      const text = manifest(i, r);
      bytes += Buffer.byteLength(text);
      writeFileSync(join(dir, `m-${String(i).padStart(5, '0')}.yaml`), text);
    }
  }
  return { bytes };
}

// ---------------------------------------------------------------------------------------------
// Measurements

async function parseOnly(dirs: string[]): Promise<number> {
  let docs = 0;
  for (const d of dirs) {
    const dir = join(CORPUS, d);
    for (const f of (await readdir(dir)).sort()) {
      const parsed = parseAllDocuments(await readFile(join(dir, f), 'utf8'));
      docs += Array.isArray(parsed) ? parsed.length : 0;
    }
  }
  return docs;
}

async function fullAudit(dirs: string[]) {
  return audit({ paths: dirs.map((d) => join(CORPUS, d)) });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall time and this process's CPU time (user+system): on a shared, loaded machine wall time swings
 * with other tenants' load, CPU time much less, so both are reported. */
async function timeIt(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Child mode: audit (or parse) one corpus size and print memory figures as JSON. */
async function child(mode: string, n: number): Promise<void> {
  const size = SIZES.find((s) => s.n === n)!;
  const t0 = performance.now();
  let kept: unknown;
  if (mode === 'audit') kept = await fullAudit(size.dirs);
  else kept = await parseOnly(size.dirs);
  const ms = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  const findings =
    mode === 'audit' ? (kept as Awaited<ReturnType<typeof fullAudit>>).findings.length : undefined;
  process.stdout.write(
    JSON.stringify({
      mode,
      n,
      ms,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      heapUsedAfterGcMB: mem.heapUsed / 2 ** 20,
      findings,
    }),
  );
}

interface ChildReport {
  mode: string;
  n: number;
  ms: number;
  peakRssMB: number;
  heapUsedAfterGcMB: number;
  findings?: number;
}

type Timing = { wall: number; cpu: number };

/** Warm up both paths (JIT, file cache) on the first part, then interleave rounds so drift hits both equally. */
async function timeInterleaved(
  dirs: string[],
): Promise<{ parseMs: Timing[]; auditMs: Timing[]; last?: Awaited<ReturnType<typeof fullAudit>> }> {
  await parseOnly(SIZES[0]!.dirs);
  await fullAudit(SIZES[0]!.dirs);
  const parseMs: Timing[] = [];
  const auditMs: Timing[] = [];
  let last: Awaited<ReturnType<typeof fullAudit>> | undefined;
  for (let k = 0; k < ROUNDS; k++) {
    parseMs.push(await timeIt(() => parseOnly(dirs)));
    auditMs.push(
      await timeIt(async () => {
        last = await fullAudit(dirs);
      }),
    );
  }
  return { parseMs, auditMs, last };
}

/** One fresh child per mode and size, so sizes do not share a high-water mark. */
function memoryInChildren(): ChildReport[] {
  const memory: ChildReport[] = [];
  for (const mode of ['parse', 'audit']) {
    for (const s of SIZES) {
      const r = spawnSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', 'bench/audit.bench.ts', '--child', mode, String(s.n)],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      );
      if (r.status !== 0) throw new Error(`child ${mode} ${s.n} failed: ${r.stderr}`);
      memory.push(JSON.parse(r.stdout) as ChildReport);
    }
  }
  return memory;
}

/** The figures as written to bench/out/audit.json. */
function resultOf(bytes: number, t: Awaited<ReturnType<typeof timeInterleaved>>, memory: ChildReport[]) {
  const { parseMs, auditMs, last } = t;
  const parseMedian = median(parseMs.map((x) => x.wall));
  const auditMedian = median(auditMs.map((x) => x.wall));
  const parseCpu = median(parseMs.map((x) => x.cpu));
  const auditCpu = median(auditMs.map((x) => x.cpu));
  return {
    corpus: { manifests: TOTAL, files: TOTAL, bytes, meanBytes: Math.round(bytes / TOTAL), dir: CORPUS },
    rounds: ROUNDS,
    parseOnlyMs: {
      wall: parseMs.map((x) => round(x.wall)),
      cpu: parseMs.map((x) => round(x.cpu)),
      medianWall: round(parseMedian),
      medianCpu: round(parseCpu),
    },
    auditMs: {
      wall: auditMs.map((x) => round(x.wall)),
      cpu: auditMs.map((x) => round(x.cpu)),
      medianWall: round(auditMedian),
      medianCpu: round(auditCpu),
    },
    ratioAuditToParse: round(auditMedian / parseMedian),
    ratioAuditToParseCpu: round(auditCpu / parseCpu),
    loadAverage: loadavg().map(round),
    target: 1.2, // issue 9
    auditFindings: last?.findings.length ?? 0,
    auditObjects: last?.summary.objects ?? 0,
    memory: memory.map((m) => ({
      ...m,
      ms: round(m.ms as number),
      peakRssMB: round(m.peakRssMB as number),
      heapUsedAfterGcMB: round(m.heapUsedAfterGcMB as number),
    })),
    node: process.version,
  };
}

function summary(bytes: number, result: ReturnType<typeof resultOf>): string {
  const { parseOnlyMs: p, auditMs: a } = result;
  const lines = [
    `corpus: ${TOTAL} manifests, ${(bytes / 2 ** 20).toFixed(1)} MiB (${result.corpus.meanBytes} B mean) in ${CORPUS}`,
    `audit: ${result.auditObjects} objects, ${result.auditFindings} findings`,
    '',
    `time (median of ${ROUNDS} interleaved rounds, same process; load average ${result.loadAverage.join(' ')})`,
    '                                                  wall ms      CPU ms',
    `  parse-only (readFile + yaml.parseAllDocuments)  ${String(p.medianWall).padStart(9)}   ${String(p.medianCpu).padStart(9)}`,
    `  full audit                                      ${String(a.medianWall).padStart(9)}   ${String(a.medianCpu).padStart(9)}`,
    `  ratio audit / parse-only                        ${String(result.ratioAuditToParse).padStart(8)}×  ${String(result.ratioAuditToParseCpu).padStart(8)}×   (target ≤ ${result.target}×)`,
    '',
    'memory (fresh child per size)   mode    manifests   peak RSS MiB   heap after GC MiB   ms',
    ...result.memory.map(
      (m) =>
        `                                ${String(m.mode).padEnd(7)} ${String(m.n).padStart(9)}   ${String(m.peakRssMB).padStart(12)}   ${String(m.heapUsedAfterGcMB).padStart(17)}   ${m.ms}`,
    ),
    '',
    `written: ${join(OUT, 'audit.json')}`,
  ];
  return lines.join('\n');
}

async function mainBench(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { bytes } = buildCorpus();
  const timing = await timeInterleaved(SIZES[SIZES.length - 1]!.dirs);
  const result = resultOf(bytes, timing, memoryInChildren());
  writeFileSync(join(OUT, 'audit.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(summary(bytes, result));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const idx = process.argv.indexOf('--child');
if (idx !== -1) await child(process.argv[idx + 1]!, Number(process.argv[idx + 2]));
else await mainBench();
