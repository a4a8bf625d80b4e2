/**
 * Recall and precision of `faultline audit` on hard / implicitly hard NFS mount sites in real GitOps
 * repositories (issue 9). Not part of CI: the repositories are public snapshots checked out by hand
 * (never committed); this script only reads them.
 *
 *   npx tsx bench/audit-recall.ts DIR...        (each DIR one repository's working tree)
 *
 * Ground truth is built WITHOUT the audit's parser, from the text of each file, so the two can
 * disagree: a site is
 *   - an app-template/common `type: nfs` entry with a `server:` within 6 lines (not `enabled: false`),
 *   - an `nfs:` mapping followed within 4 lines by both `server:` and `path:` (inline pod volumes,
 *     PV spec.nfs, volumes embedded in CRDs or chart values), or `volumeSpec:` + `nfs:`,
 *   - a StorageClass whose provisioner names NFS, a PersistentVolume with `driver: nfs.csi.k8s.io`,
 *   - a csi-driver-nfs values `storageClass` block (`share:` near `server:` in a HelmRelease/Application),
 * and it is hard (or implicitly hard) unless its YAML document writes `soft`/`softerr`.
 * A site is FOUND when an NFS finding (nfs-inline-volume, nfs-hard-mount, default-storageclass-nfs-
 * hard, nfs-error-budget, nfs-unsafe-workload) is reported in the same file within 12 lines of it.
 * Precision: NFS findings of severity medium and up that land on no truth site are listed for review
 * (`--show-misses` prints both lists), and counted as false unless reviewed otherwise.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { audit } from '../src/audit/engine.ts';

const NFS_RULES = new Set([
  'nfs-inline-volume',
  'nfs-hard-mount',
  'default-storageclass-nfs-hard',
  'nfs-error-budget',
  'nfs-unsafe-workload',
]);
const NEAR = 12;

interface Site {
  file: string;
  line: number;
  shape: string;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(ya?ml)(\.j2)?$/i.test(e.name)) yield p;
  }
}

function sitesOf(file: string, text: string): Site[] {
  const lines = text.split('\n');
  const out: Site[] = [];
  // Document boundaries, for the soft check.
  const docOf: number[] = [];
  let d = 0;
  for (const l of lines) {
    if (/^---/.test(l)) d++;
    docOf.push(d);
  }
  const docText = (i: number) => lines.filter((_, j) => docOf[j] === docOf[i]).join('\n');
  const soft = (i: number) =>
    /(^|[\s,[\-"'])soft(err)?(?=[\s,\]"']|$)/m.test(docText(i).replace(/#.*$/gm, ''));
  const near = (i: number, before: number, after: number, re: RegExp) =>
    lines.slice(Math.max(0, i - before), i + after + 1).some((l) => re.test(l));
  lines.forEach((raw, i) => {
    const l = raw.replace(/#.*$/, '');
    if (/\{\{|\{%/.test(l)) return;
    const indent = (raw.match(/^\s*/) ?? [''])[0];
    const disabled = new RegExp(`^${indent}enabled:\\s*["']?false`);
    if (/^\s*type:\s*["']?nfs["']?\s*$/.test(l) && near(i, 6, 6, /^\s*server:/) && !near(i, 4, 4, disabled)) {
      if (!soft(i)) out.push({ file, line: i + 1, shape: 'app-template type: nfs' });
      return;
    }
    if (/^\s*-?\s*nfs:\s*$/.test(l) && near(i, 0, 4, /^\s*server:/) && near(i, 0, 4, /^\s*path:/)) {
      if (!soft(i)) out.push({ file, line: i + 1, shape: 'nfs: {server, path}' });
      return;
    }
    if (/^\s*provisioner:\s*\S*nfs/i.test(l) && /kind:\s*StorageClass/.test(docText(i))) {
      if (!soft(i)) out.push({ file, line: i + 1, shape: 'StorageClass (NFS provisioner)' });
      return;
    }
    if (/^\s*driver:\s*["']?nfs\.csi\.k8s\.io/.test(l) && /kind:\s*PersistentVolume\s*$/m.test(docText(i))) {
      if (!soft(i)) out.push({ file, line: i + 1, shape: 'PersistentVolume csi nfs.csi.k8s.io' });
      return;
    }
    // csi-driver-nfs chart values: a storageClass block with parameters.server/share.
    if (
      /^\s*share:\s*\S/.test(l) &&
      near(i, 3, 3, /^\s*server:/) &&
      /kind:\s*HelmRelease|kind:\s*Application|csi-driver-nfs/.test(docText(i))
    ) {
      if (!soft(i)) out.push({ file, line: i + 1, shape: 'csi-driver-nfs values storageClass' });
    }
  });
  return out;
}

const args = process.argv.slice(2);
const show = args.includes('--show-misses');
const dirs = args.filter((a) => !a.startsWith('--'));
let truthTotal = 0;
let foundTotal = 0;
let findingsTotal = 0;
let onSiteTotal = 0;
for (const dir of dirs) {
  const truth: Site[] = [];
  for await (const f of walk(dir)) truth.push(...sitesOf(f, await readFile(f, 'utf8')));
  const r = await audit({ paths: [dir] });
  const nfs = r.findings.filter(
    (f) => NFS_RULES.has(f.ruleId) && ['medium', 'high', 'critical'].includes(f.severity),
  );
  const hit = (s: Site) =>
    nfs.some((f) => f.location.file === s.file && Math.abs((f.location.line ?? 0) - s.line) <= NEAR);
  const onSite = (f: (typeof nfs)[number]) =>
    truth.some((s) => f.location.file === s.file && Math.abs((f.location.line ?? 0) - s.line) <= NEAR);
  const found = truth.filter(hit);
  const stray = nfs.filter((f) => !onSite(f));
  truthTotal += truth.length;
  foundTotal += found.length;
  findingsTotal += nfs.length;
  onSiteTotal += nfs.length - stray.length;
  console.log(
    `${dir}: ${found.length}/${truth.length} sites found; ${nfs.length - stray.length}/${nfs.length} NFS findings on a site; ${r.summary.errors} input errors, ${r.summary.templatesSkipped} template docs skipped`,
  );
  if (show) {
    for (const s of truth.filter((x) => !hit(x)))
      console.log(`  MISSED ${relative(dir, s.file)}:${s.line} ${s.shape}`);
    for (const f of stray)
      console.log(
        `  STRAY  ${relative(dir, f.location.file)}:${f.location.line} ${f.ruleId} ${f.message.slice(0, 140)}`,
      );
  }
}
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
console.log(
  `TOTAL recall ${foundTotal}/${truthTotal} = ${pct(foundTotal, truthTotal)}; findings on a site ${onSiteTotal}/${findingsTotal} = ${pct(onSiteTotal, findingsTotal)}`,
);
